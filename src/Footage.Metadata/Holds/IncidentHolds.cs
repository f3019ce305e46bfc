using System.Data.Common;
using Footage.Core.Segments;
using Footage.Core.Time;
using Footage.Metadata.Incidents;
using Microsoft.Extensions.Options;

namespace Footage.Metadata.Holds;

/// <summary>
/// Evidence holds: the footage of every camera of an incident over its time range, while the incident is not CLOSED and
/// for <see cref="MetadataOptions.EvidenceHoldAfterClose"/> after it closed. They are written to the Storage module's holds
/// record (<see cref="ISegmentHoldLedger"/>) in the same transaction as every change of the incident, so a deletion can never
/// slip in between an incident being saved and its footage being held.
/// </summary>
public sealed class IncidentHolds(ISegmentHoldLedger ledger, IOptions<MetadataOptions> options)
{
    public const string Source = "incident";

    /// <summary>Replaces the incident's holds inside its transaction; the caller calls <see cref="ISegmentHoldLedger.Changed"/> after committing.</summary>
    public Task<IReadOnlyList<Guid>> WriteAsync(DbConnection connection, DbTransaction transaction, Incident incident, CancellationToken cancellationToken) =>
        ledger.ReplaceAsync(connection, transaction, Source, incident.Id.ToString("D"), HoldsOf(incident, options.Value.EvidenceHoldAfterClose), cancellationToken);

    /// <summary>Tells the store's hold keeper to act on holds just committed.</summary>
    public void Committed() => ledger.Changed();

    /// <summary>Rewrites every incident's holds (start-up: the setting may have changed, and holds older than the record exist).</summary>
    public Task WriteAllAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Incident> incidents, CancellationToken cancellationToken) =>
        ledger.ReplaceSourceAsync(connection, transaction, Source,
            incidents.SelectMany(i => HoldsOf(i, options.Value.EvidenceHoldAfterClose).Select(h => (i.Id.ToString("D"), h))).ToArray(), cancellationToken);

    /// <summary>One hold per camera of the incident over its range, until it has been closed for <paramref name="afterClose"/>.</summary>
    public static IReadOnlyList<SegmentHold> HoldsOf(Incident i, TimeSpan afterClose)
    {
        var (_, until) = HoldOf(i, afterClose, DateTimeOffset.MinValue);
        return i.CameraIds.Distinct().Select(camera => new SegmentHold(camera, new TimeRange(i.StartTime, i.EndTime), Reason(i), until)).ToArray();
    }

    public static string Reason(Incident i) => i.Status == IncidentStatus.Closed
        ? $"incident {i.Id:D} (closed {Instants.ToIso(i.ClosedAt ?? i.UpdatedAt)})"
        : $"incident {i.Id:D} ({IncidentValues.ToDb(i.Status)})";

    /// <summary>Whether the incident holds its footage now, and until when (null while it is not closed: indefinitely).</summary>
    public static (bool Held, DateTimeOffset? Until) HoldOf(Incident i, TimeSpan afterClose, DateTimeOffset now)
    {
        if (i.Status != IncidentStatus.Closed || i.ClosedAt is null)
        {
            return (true, null);
        }

        var until = i.ClosedAt.Value + afterClose;
        return (until > now, until);
    }
}

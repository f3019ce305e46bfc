using Footage.Core.Segments;
using Footage.Core.Time;
using Footage.Metadata.Incidents;
using Microsoft.Extensions.Options;

namespace Footage.Metadata.Holds;

/// <summary>
/// Evidence holds: the footage of every camera of an incident over its time range, while the incident is
/// not CLOSED and for <see cref="MetadataOptions.EvidenceHoldAfterClose"/> after it closed. Storage asks
/// this before retention or a DELETE removes a segment, and shows the hold on the segment.
/// </summary>
public sealed class IncidentHolds(IncidentRepository incidents, IOptions<MetadataOptions> options, TimeProvider clock) : ISegmentHoldProvider
{
    public async Task<IReadOnlyList<SegmentHold>> GetHoldsAsync(CancellationToken cancellationToken)
    {
        var closedAfter = clock.GetUtcNow() - options.Value.EvidenceHoldAfterClose;
        var holding = await incidents.HoldingAsync(closedAfter, cancellationToken);
        return holding
            .SelectMany(i => i.CameraIds.Select(camera => new SegmentHold(camera, new TimeRange(i.StartTime, i.EndTime), Reason(i))))
            .ToArray();
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

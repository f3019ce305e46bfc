using Footage.Metadata.Holds;

namespace Footage.Metadata.Incidents;

/// <summary>An incident on the wire, with whether it holds its footage and until when (null: while it is open).</summary>
public sealed record IncidentResponse(
    Guid Id,
    string Title,
    string? Description,
    IncidentSeverity Severity,
    IncidentStatus Status,
    IReadOnlyList<Guid> CameraIds,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    IReadOnlyList<string> Tags,
    string? AssignedTo,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt,
    bool EvidenceHold,
    DateTimeOffset? EvidenceHoldUntil)
{
    public static IncidentResponse From(Incident i, TimeSpan holdAfterClose, DateTimeOffset now)
    {
        var (held, until) = IncidentHolds.HoldOf(i, holdAfterClose, now);
        return new(i.Id, i.Title, i.Description, i.Severity, i.Status, i.CameraIds, i.StartTime, i.EndTime, i.Tags, i.AssignedTo, i.CreatedBy,
            i.CreatedAt, i.UpdatedAt, i.ClosedAt, held, until);
    }
}

namespace Footage.Metadata.Incidents;

/// <summary>An incident: what happened, on which cameras and when, and who handles it (the spec's <c>incidents</c> row).</summary>
public sealed record Incident(
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
    DateTimeOffset? ClosedAt);

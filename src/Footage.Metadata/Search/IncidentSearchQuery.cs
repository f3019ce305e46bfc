using Footage.Metadata.Incidents;

namespace Footage.Metadata.Search;

/// <summary>
/// Filters of an incident search, all optional and combined with AND: full text, incidents overlapping
/// [From, To), created in [CreatedFrom, CreatedTo), covering any of the cameras or any camera of the source,
/// carrying all the tags, of any of the severities and statuses, created by or assigned to someone.
/// </summary>
public sealed record IncidentSearchQuery(
    string? Text,
    DateTimeOffset? From,
    DateTimeOffset? To,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedTo,
    IReadOnlyList<Guid> CameraIds,
    string? Source,
    IReadOnlyList<string> Tags,
    IReadOnlyList<IncidentSeverity> Severities,
    IReadOnlyList<IncidentStatus> Statuses,
    string? CreatedBy,
    string? AssignedTo,
    int Limit,
    int Offset);

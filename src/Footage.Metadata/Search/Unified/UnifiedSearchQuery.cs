using Footage.Metadata.Incidents;

namespace Footage.Metadata.Search.Unified;

/// <summary>
/// A search over every kind: text (optional), the kinds wanted, and the filters, all combined with AND. A filter applies
/// to the kinds it means something for and leaves the others out (a severity leaves out everything but incidents):
/// [From, To) overlaps an incident's or segment's range, holds an annotation's instant, or a segment carrying the tag;
/// cameras and source likewise (a tag through the segments that carry it); <see cref="Tags"/> are an incident's labels,
/// a segment's tags or the tags of an annotation's segment; <see cref="CreatedBy"/> is an incident's creator or an
/// annotation's author. <see cref="VisibleCameraIds"/> is what the caller may see (null: every camera): a hit must
/// concern at least one of those cameras, whatever else is asked.
/// </summary>
public sealed record UnifiedSearchQuery(
    string? Text,
    IReadOnlyList<SearchKind> Kinds,
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
    int Offset)
{
    public IReadOnlyCollection<Guid>? VisibleCameraIds { get; init; }

    /// <summary>Every kind, no filter: text and paging only.</summary>
    public static UnifiedSearchQuery ForText(string? text, int limit = 50, int offset = 0) =>
        new(text, SearchKinds.All, null, null, null, null, [], null, [], [], [], null, null, limit, offset);
}

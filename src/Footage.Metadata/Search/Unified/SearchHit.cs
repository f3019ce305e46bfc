namespace Footage.Metadata.Search.Unified;

/// <summary>
/// One hit of a search: its kind and id, its rank (the sum over the search's words of the weight of the best field each
/// is in: 10 for a title, note or tag name, 4 for a description or category, 2 for an incident's labels or a segment's
/// notes), the cameras and instants it concerns, a label (incident title, annotation type, tag name, a segment's tags),
/// the snippet as HTML with &lt;mark&gt;, and what only some kinds have.
/// </summary>
public sealed record SearchHit(
    SearchKind Kind,
    Guid Id,
    int Rank,
    IReadOnlyList<Guid> CameraIds,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    string? Label,
    string? Snippet,
    SearchHitDetails Details);

/// <summary>
/// What some kinds have: an incident's severity, status and creator, an annotation's author and segment, a tag's
/// category and colour, a segment's tags.
/// </summary>
public sealed record SearchHitDetails(
    string? Severity = null,
    string? Status = null,
    string? User = null,
    Guid? SegmentId = null,
    string? Category = null,
    string? Color = null,
    IReadOnlyList<string>? Tags = null);

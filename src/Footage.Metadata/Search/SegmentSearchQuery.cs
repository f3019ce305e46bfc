namespace Footage.Metadata.Search;

/// <summary>Segments overlapping [From, To) of any of the cameras (or of a source's cameras), carrying all the tags.</summary>
public sealed record SegmentSearchQuery(
    IReadOnlyList<Guid> CameraIds,
    string? Source,
    IReadOnlyList<string> Tags,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    int Offset);

namespace Footage.Core.Segments;

/// <summary>Segments of one camera that overlap [From, To), ordered by start time, paged by cursor.</summary>
public sealed record SegmentQuery(
    Guid CameraId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Cursor,
    int Limit,
    bool IncludeKeyframes = false);

namespace Footage.Metadata.Annotations;

/// <summary>
/// A marker on the timeline: a segment, an offset into it (<see cref="TimestampOffset"/>, milliseconds) and so
/// a wall-clock instant (<see cref="Timestamp"/>) on the segment's camera, with a type and content.
/// </summary>
public sealed record Annotation(
    Guid Id,
    Guid SegmentId,
    Guid CameraId,
    int TimestampOffset,
    DateTimeOffset Timestamp,
    string Type,
    string Content,
    string UserId,
    DateTimeOffset CreatedAt);

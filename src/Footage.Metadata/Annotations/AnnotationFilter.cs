namespace Footage.Metadata.Annotations;

/// <summary>The annotations of one segment, or of one camera with instants in [From, To).</summary>
public sealed record AnnotationFilter(Guid? SegmentId, Guid? CameraId, DateTimeOffset? From, DateTimeOffset? To);

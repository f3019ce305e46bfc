namespace Footage.Metadata.Tags;

/// <summary>A tag on a segment: who put it there and when (the spec's <c>video_tags</c> row, with the tag itself).</summary>
public sealed record SegmentTag(Guid SegmentId, Tag Tag, string UserId, DateTimeOffset CreatedAt);

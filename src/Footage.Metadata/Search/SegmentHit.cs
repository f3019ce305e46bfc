namespace Footage.Metadata.Search;

/// <summary>A segment found by a search (the catalog's fields that matter for finding footage).</summary>
public sealed record SegmentHit(
    Guid Id, Guid CameraId, DateTimeOffset StartTime, DateTimeOffset EndTime, int DurationSeconds, long SizeBytes, string? Checksum, string? ThumbnailPath);

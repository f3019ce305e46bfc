using Footage.Core.Storage;

namespace Footage.Core.Segments;

/// <summary>One stored recording file of one camera, as the catalog knows it.</summary>
public sealed record Segment(
    Guid Id,
    Guid CameraId,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    int DurationSeconds,
    long SizeBytes,
    string StorageBackend,
    string StoragePath,
    string? Checksum,
    string? ThumbnailPath,
    DateTimeOffset CreatedAt,
    KeyframeIndex? Keyframes)
{
    /// <summary>The bucket of the object: recordings, or clips once an evidence hold moved the segment to its held copy.</summary>
    public string StorageBucket { get; init; } = StorageBuckets.Recordings;
}

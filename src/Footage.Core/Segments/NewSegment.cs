namespace Footage.Core.Segments;

/// <summary>A segment to register, already validated.</summary>
public sealed record NewSegment(
    Guid CameraId,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    int DurationSeconds,
    long SizeBytes,
    string StorageBackend,
    string StoragePath,
    string? Checksum,
    string? ThumbnailPath,
    KeyframeIndex? Keyframes);

namespace Footage.Storage.Segments;

/// <summary>The body of <c>POST /api/v1/storage/segments</c>; every field nullable so that a missing one is named in the 400.</summary>
public sealed record RegisterSegmentRequest(
    Guid? CameraId,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    double? DurationSeconds,
    long? SizeBytes,
    string? StorageBackend,
    string? StoragePath,
    string? Checksum,
    string? ThumbnailPath,
    long[][]? Keyframes);

namespace Footage.Core.Segments;

/// <summary>
/// A recording that claimed a camera and start where other footage is already stored or catalogued: kept under its own
/// key in the clips bucket with its own row, never in place of the original, until an admin deletes it.
/// </summary>
public sealed record QuarantinedSegment(
    Guid Id,
    Guid CameraId,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    long SizeBytes,
    string StorageBackend,
    string StorageBucket,
    string StoragePath,
    string Checksum,
    Guid? ConflictingSegmentId,
    string Reason,
    DateTimeOffset CreatedAt);

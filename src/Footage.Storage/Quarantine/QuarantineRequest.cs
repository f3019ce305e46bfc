namespace Footage.Storage.Quarantine;

/// <summary>The body of <c>POST /api/v1/storage/segments/quarantine</c>: the recording (as for a registration), the segment it conflicts with and why.</summary>
public sealed record QuarantineRequest(
    Guid? CameraId,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    double? DurationSeconds,
    long? SizeBytes,
    string? StorageBackend,
    string? StoragePath,
    string? Checksum,
    long[][]? Keyframes,
    Guid? ConflictingSegmentId,
    string? Reason);

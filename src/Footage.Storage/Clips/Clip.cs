namespace Footage.Storage.Clips;

/// <summary>
/// An incident's footage saved as evidence: the cameras of the incident that recorded something in its range widened by
/// <see cref="MarginSeconds"/> on both sides, stitched, signed and kept in <c>cctv-clips</c> until an admin deletes it.
/// A deleted clip keeps its row (who deleted it, when, why); only its objects go.
/// </summary>
public sealed record Clip(
    Guid Id,
    Guid IncidentId,
    IReadOnlyList<Guid> CameraIds,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    int MarginSeconds,
    string Reason,
    ClipStatus Status,
    string? StorageBackend,
    string? FilePath,
    string? ManifestPath,
    long? FileSize,
    string? Checksum,
    string? ManifestSha256,
    string? SigningKeySha256,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    string? DeletedBy,
    DateTimeOffset? DeletedAt,
    string? DeleteReason);

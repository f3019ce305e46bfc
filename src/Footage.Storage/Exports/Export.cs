namespace Footage.Storage.Exports;

/// <summary>An export job and, once completed, where its file is.</summary>
public sealed record Export(
    Guid Id,
    IReadOnlyList<Guid> CameraIds,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    string Format,
    string? Reason,
    ExportStatus Status,
    string? StorageBackend,
    string? FilePath,
    long? FileSize,
    string? Checksum,
    string? ManifestPath,
    DateTimeOffset? ExpiresAt,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error);

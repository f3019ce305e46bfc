namespace Footage.Storage.Exports;

/// <summary>
/// What an export contains and where it came from: the source segments with their SHA-256 as catalogued
/// (and verified while stitching), the output's SHA-256, who asked and why. Stored beside the export and
/// inside the zip of a multi-camera export.
/// </summary>
public sealed record ExportManifest(
    Guid ExportId,
    string CreatedBy,
    string? Reason,
    DateTimeOffset RequestedStart,
    DateTimeOffset RequestedEnd,
    DateTimeOffset CreatedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyList<ExportManifest.CameraFile> Cameras,
    ExportManifest.OutputFile? Output)
{
    public sealed record CameraFile(
        Guid CameraId,
        string File,
        long SizeBytes,
        string Sha256,
        double DurationSeconds,
        IReadOnlyList<SourceSegment> Segments,
        IReadOnlyList<Gap> Gaps);

    public sealed record SourceSegment(Guid Id, DateTimeOffset StartTime, DateTimeOffset EndTime, string StorageBackend, string StoragePath, string? Sha256);

    public sealed record Gap(DateTimeOffset From, DateTimeOffset To);

    public sealed record OutputFile(string File, long SizeBytes, string Sha256);
}

namespace Footage.Storage.Evidence;

/// <summary>
/// One camera's video in an export or a clip, as its manifest lists it: the file, its size, SHA-256 and duration, the recorded
/// segments it was made from with their SHA-256 as catalogued (and verified while stitching), and the gaps in the range.
/// </summary>
public sealed record StitchedCamera(
    Guid CameraId,
    string File,
    long SizeBytes,
    string Sha256,
    double DurationSeconds,
    IReadOnlyList<StitchedCamera.SourceSegment> Segments,
    IReadOnlyList<StitchedCamera.Gap> Gaps)
{
    public sealed record SourceSegment(Guid Id, DateTimeOffset StartTime, DateTimeOffset EndTime, string StorageBackend, string StoragePath, string? Sha256);

    public sealed record Gap(DateTimeOffset From, DateTimeOffset To);
}

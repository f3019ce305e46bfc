namespace Footage.Storage.Integrity;

/// <summary>Something the integrity scrub found about one object (see <see cref="FindingKinds"/>), and when it first and last saw it.</summary>
public sealed record IntegrityFinding(
    Guid Id,
    string Kind,
    string Backend,
    string Bucket,
    string Path,
    Guid? SegmentId,
    string? ExpectedSha256,
    string? ActualSha256,
    long? ExpectedSize,
    long? ActualSize,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt)
{
    public static IntegrityFinding New(string kind, string backend, string bucket, string path, Guid? segmentId = null, string? expectedSha256 = null,
        string? actualSha256 = null, long? expectedSize = null, long? actualSize = null) =>
        new(Guid.Empty, kind, backend, bucket, path, segmentId, expectedSha256, actualSha256, expectedSize, actualSize, default, default);
}

using Footage.Core.Segments;

namespace Footage.Storage.Segments;

/// <summary>A segment on the wire, with whether evidence holds keep it from deletion.</summary>
public sealed record SegmentResponse(
    Guid Id,
    Guid CameraId,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    int DurationSeconds,
    long SizeBytes,
    string StorageBackend,
    string StorageBucket,
    string StoragePath,
    string? Checksum,
    string? ThumbnailPath,
    DateTimeOffset CreatedAt,
    bool EvidenceHold,
    string? HoldReason,
    long[][]? Keyframes)
{
    public static SegmentResponse From(Segment s, Retention.HoldSet holds)
    {
        var hold = holds.Find(s.CameraId, s.StartTime, s.EndTime);
        return new(s.Id, s.CameraId, s.StartTime, s.EndTime, s.DurationSeconds, s.SizeBytes, s.StorageBackend, s.StorageBucket, s.StoragePath,
            s.Checksum, s.ThumbnailPath, s.CreatedAt, hold is not null, hold?.Reason,
            s.Keyframes?.Entries.Select(k => new[] { k.OffsetMilliseconds, k.ByteOffset }).ToArray());
    }
}

/// <summary>A page of segments and the cursor for the next (null at the end).</summary>
public sealed record SegmentPageResponse(IReadOnlyList<SegmentResponse> Items, string? NextCursor);

using Footage.Core.Live;

namespace Footage.Recording.Live;

/// <summary>
/// One uncatalogued file on the wire; <c>keyframes</c> as in the catalog: <c>[ms from start, byte offset]</c> pairs;
/// <c>frames</c> the most recent pictures: <c>[ms from start, byte offset, 1 for a key frame else 0]</c>.
/// </summary>
public sealed record LiveSegmentResponse(string File, DateTimeOffset StartTime, DateTimeOffset EndTime, long SizeBytes, bool Open, long[][] Keyframes, long[][] Frames)
{
    public static LiveSegmentResponse From(LiveSegment segment) =>
        new(segment.File, segment.StartTime, segment.EndTime, segment.SizeBytes, segment.Open,
            segment.Keyframes.Entries.Select(k => new[] { k.OffsetMilliseconds, k.ByteOffset }).ToArray(),
            segment.Frames.Select(f => new[] { f.OffsetMilliseconds, f.ByteOffset, f.Key ? 1L : 0L }).ToArray());
}

/// <summary>The answer of <c>GET /api/v1/recording/{camera_id}/live</c>.</summary>
public sealed record LiveFootageResponse(Guid CameraId, IReadOnlyList<LiveSegmentResponse> Segments);

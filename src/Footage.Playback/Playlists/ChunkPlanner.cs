using Footage.Core.Segments;

namespace Footage.Playback.Playlists;

/// <summary>
/// Cuts stored segments into chunks of about <c>hls_time</c> seconds at their key frames, using the
/// key-frame index of the catalog only (the objects are never read to plan). Pure: no I/O, no clock.
/// The first chunk starts at the key frame at or before <c>from</c>; the player is told where
/// <c>from</c> lies inside it (see <see cref="Plan.StartOffset"/>).
/// </summary>
public static class ChunkPlanner
{
    /// <summary>A gap shorter than this between two files is the normal rotation jitter, not missing footage.</summary>
    public static readonly TimeSpan GapTolerance = TimeSpan.FromSeconds(1);

    public sealed record Plan(IReadOnlyList<Chunk> Chunks, TimeSpan StartOffset);

    /// <param name="growing">Segments still being written: their last chunk is left out until it is long enough (or the
    /// file closes), so that a chunk, once listed, keeps its bytes and length on every later refresh of a live playlist.</param>
    public static Plan Build(IEnumerable<Segment> segments, DateTimeOffset from, DateTimeOffset to, TimeSpan target, IReadOnlySet<Guid>? growing = null)
    {
        var chunks = new List<Chunk>();
        DateTimeOffset? previousEnd = null;
        foreach (var segment in segments.OrderBy(s => s.StartTime))
        {
            if (segment.EndTime <= from || segment.StartTime >= to)
            {
                continue;
            }

            var cuts = CutPoints(segment);
            var first = true;
            var pendingStart = -1;
            for (var i = 0; i < cuts.Count; i++)
            {
                var (startMs, offset) = cuts[i];
                var nextMs = i + 1 < cuts.Count ? cuts[i + 1].Milliseconds : (long)(segment.EndTime - segment.StartTime).TotalMilliseconds;
                var keyStart = segment.StartTime.AddMilliseconds(startMs);
                var keyEnd = segment.StartTime.AddMilliseconds(nextMs);

                // skip key intervals wholly before 'from' or starting at/after 'to'
                if (keyEnd <= from || keyStart >= to)
                {
                    continue;
                }

                if (pendingStart < 0)
                {
                    pendingStart = i;
                }

                var chunkStartMs = cuts[pendingStart].Milliseconds;
                var isLastKey = i + 1 >= cuts.Count || segment.StartTime.AddMilliseconds(cuts[i + 1].Milliseconds) >= to;
                var longEnough = nextMs - chunkStartMs >= target.TotalMilliseconds;
                if (!longEnough && (!isLastKey || (i + 1 >= cuts.Count && growing?.Contains(segment.Id) == true)))
                {
                    continue;
                }

                var chunkOffset = cuts[pendingStart].Offset;
                var endOffset = i + 1 < cuts.Count ? cuts[i + 1].Offset : segment.SizeBytes;
                var start = segment.StartTime.AddMilliseconds(chunkStartMs);
                var gap = previousEnd is { } end && start - end > GapTolerance;
                chunks.Add(new Chunk(segment.Id, chunkOffset, endOffset - chunkOffset, start, TimeSpan.FromMilliseconds(nextMs - chunkStartMs), first, gap));
                previousEnd = start + TimeSpan.FromMilliseconds(nextMs - chunkStartMs);
                first = false;
                pendingStart = -1;
                if (isLastKey)
                {
                    break;
                }
            }
        }

        var startOffset = chunks.Count > 0 && from > chunks[0].Start ? from - chunks[0].Start : TimeSpan.Zero;
        return new Plan(chunks, startOffset);
    }

    /// <summary>Key frames as (ms from start, byte offset); a segment without an index is one chunk.</summary>
    private static List<(long Milliseconds, long Offset)> CutPoints(Segment segment)
    {
        var entries = segment.Keyframes?.Entries;
        if (entries is null || entries.Count == 0)
        {
            return [(0, 0)];
        }

        var cuts = new List<(long, long)>(entries.Count + 1);
        if (entries[0].ByteOffset > 0 || entries[0].OffsetMilliseconds > 0)
        {
            // bytes before the first key frame cannot start a chunk on their own; they join the first one
            cuts.Add((0, 0));
            for (var i = 1; i < entries.Count; i++)
            {
                cuts.Add((entries[i].OffsetMilliseconds, entries[i].ByteOffset));
            }

            return cuts;
        }

        foreach (var entry in entries)
        {
            cuts.Add((entry.OffsetMilliseconds, entry.ByteOffset));
        }

        return cuts;
    }
}

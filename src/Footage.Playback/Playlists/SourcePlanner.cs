using Footage.Core.Segments;

namespace Footage.Playback.Playlists;

/// <summary>
/// Plans chunks over segments from more than one source (storage mode BOTH): our own segments whole, Milestone's
/// only for the time ours does not cover (<see cref="PreferredFootage"/>), each window cut by <see cref="ChunkPlanner"/>.
/// Each window starts a new file in the playlist, so the player sees a discontinuity at every switch of source.
/// With one source it is exactly <see cref="ChunkPlanner.Build"/>. Pure: no I/O, no clock.
/// </summary>
public static class SourcePlanner
{
    /// <param name="growing">Segments still being written (see <see cref="ChunkPlanner.Build"/>).</param>
    public static ChunkPlanner.Plan Build(IEnumerable<Segment> segments, DateTimeOffset from, DateTimeOffset to, TimeSpan target, IReadOnlySet<Guid>? growing = null)
    {
        var windows = PreferredFootage.Select(segments);
        if (windows.All(w => w.IsWhole))
        {
            return ChunkPlanner.Build(windows.Select(w => w.Segment), from, to, target, growing);
        }

        var chunks = new List<Chunk>();
        DateTimeOffset? previousEnd = null;
        foreach (var window in windows)
        {
            var windowFrom = window.From > from ? window.From : from;
            var windowTo = window.To < to ? window.To : to;
            if (windowTo <= windowFrom)
            {
                continue;
            }

            foreach (var chunk in ChunkPlanner.Build([window.Segment], windowFrom, windowTo, target, growing).Chunks)
            {
                var gap = previousEnd is { } end && chunk.Start - end > ChunkPlanner.GapTolerance;
                chunks.Add(chunk with { AfterGap = gap });
                previousEnd = chunk.End;
            }
        }

        var startOffset = chunks.Count > 0 && from > chunks[0].Start ? from - chunks[0].Start : TimeSpan.Zero;
        return new ChunkPlanner.Plan(chunks, startOffset);
    }
}

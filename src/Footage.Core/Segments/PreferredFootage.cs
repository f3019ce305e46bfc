namespace Footage.Core.Segments;

/// <summary>
/// Storage mode BOTH: our own footage and Milestone's overlap. Playback and exports prefer ours and use
/// Milestone's only where ours has a gap. Pure: it only looks at the segments' times and backends.
/// </summary>
public static class PreferredFootage
{
    /// <summary>The <c>storage_backend</c> of segments that Milestone XProtect recorded.</summary>
    public const string MilestoneBackend = "milestone";

    /// <summary>A hole in our footage shorter than this is rotation jitter, not a gap worth filling.</summary>
    public static readonly TimeSpan GapTolerance = TimeSpan.FromSeconds(1);

    /// <summary>
    /// As <see cref="Select(IEnumerable{Segment})"/>, with every window that starts inside its segment moved to the
    /// segment's next key frame (a millisecond after it), when the segment has a key-frame index. A stream copy
    /// (ffmpeg's concat) can enter a file only at a key frame; entering earlier would repeat time already covered.
    /// </summary>
    public static IReadOnlyList<SegmentWindow> SelectForCopy(IEnumerable<Segment> segments) =>
        Select(segments).Select(EnterAtKeyframe).Where(w => w.To > w.From).ToList();

    /// <summary>Our segments whole, then Milestone's cut to the time ours does not cover, ordered by start.</summary>
    public static IReadOnlyList<SegmentWindow> Select(IEnumerable<Segment> segments)
    {
        var all = segments.ToList();
        var windows = all.Where(s => s.StorageBackend != MilestoneBackend).Select(s => new SegmentWindow(s, s.StartTime, s.EndTime)).ToList();
        if (windows.Count == all.Count)
        {
            return windows.OrderBy(w => w.From).ToList();
        }

        var covered = windows.Select(w => (w.From, w.To)).ToList();
        foreach (var segment in all.Where(s => s.StorageBackend == MilestoneBackend).OrderBy(s => s.StartTime))
        {
            foreach (var (from, to) in Uncovered(segment.StartTime, segment.EndTime, covered))
            {
                if (to - from > GapTolerance)
                {
                    windows.Add(new SegmentWindow(segment, from, to));
                    covered.Add((from, to)); // two Milestone segments over the same time: the first one wins
                }
            }
        }

        return windows.OrderBy(w => w.From).ToList();
    }

    private static SegmentWindow EnterAtKeyframe(SegmentWindow window)
    {
        var segment = window.Segment;
        if (window.From <= segment.StartTime || segment.Keyframes is not { Entries.Count: > 0 } index)
        {
            return window;
        }

        foreach (var keyframe in index.Entries)
        {
            var at = segment.StartTime.AddMilliseconds(keyframe.OffsetMilliseconds);
            if (at >= window.From)
            {
                return window with { From = at.AddMilliseconds(1) };
            }
        }

        return window with { From = window.To };
    }

    /// <summary>The parts of [from, to) that none of the covered intervals overlaps.</summary>
    private static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Uncovered(
        DateTimeOffset from, DateTimeOffset to, IEnumerable<(DateTimeOffset From, DateTimeOffset To)> covered)
    {
        var cursor = from;
        foreach (var (start, end) in covered.Where(c => c.To > from && c.From < to).OrderBy(c => c.From))
        {
            if (start > cursor)
            {
                yield return (cursor, start);
            }

            if (end > cursor)
            {
                cursor = end;
            }
        }

        if (cursor < to)
        {
            yield return (cursor, to);
        }
    }
}

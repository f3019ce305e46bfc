using Footage.Milestone.ImageServer;
using Footage.Milestone.Transmux.Pictures;

namespace Footage.Milestone.Transmux;

/// <summary>
/// Gives each frame, in the decode order Milestone sends them, its decode and presentation timestamps (90 kHz, from the
/// epoch), one GOP at a time. Without B-frames a frame is shown when it was recorded: both are its Milestone time. With
/// B-frames Milestone's times are arrival times in decode order, the same millisecond for a reference frame and the
/// B-frames after it, so they say neither when a picture is shown nor in which order: the pictures of a GOP are shown in
/// the order of their picture order count, evenly spaced from the GOP's key frame to the next one, and decoded a fixed
/// number of frames earlier (the deepest reordering seen), so decode times rise and never pass presentation times.
/// </summary>
internal sealed class FrameTiming(IPictureOrderReader order)
{
    /// <summary>Frames further apart than this are across a gap in the recording, not a frame interval.</summary>
    private const double LongestInterval = 1000 * 90.0;
    private const double DefaultInterval = 40 * 90.0;
    private readonly List<(VideoFrame Frame, PictureOrder Order)> _gop = [];
    private double _interval;
    private int _delay;
    private long _lastDts = long.MinValue;
    private long _lastPts = long.MinValue;
    private long? _lastEnd;

    public sealed record TimedFrame(long Dts, long Pts, bool IsKey, ReadOnlyMemory<byte> Data);

    /// <summary>True once a GOP was shown in an order other than its decode order (the stream has B-frames).</summary>
    public bool Reordered { get; private set; }

    /// <summary>True when some picture's order could not be read: its GOP is shown in decode order.</summary>
    public bool OrderUnknown { get; private set; }

    /// <summary>The end of the last frame shown (90 kHz from the epoch), once <see cref="Complete"/> ran.</summary>
    public long? End => _lastEnd;

    /// <summary>Takes the next frame; returns the frames of the GOP it completes (a key frame completes the one before it).</summary>
    public IReadOnlyList<TimedFrame> Add(VideoFrame frame)
    {
        var picture = order.Read(frame.Data.Span);
        IReadOnlyList<TimedFrame> done = [];
        if (frame.IsKey && _gop.Count > 0)
        {
            done = Flush(frame.TimeMilliseconds * 90);
        }

        _gop.Add((frame, picture));
        return done;
    }

    /// <summary>The frames of the last GOP.</summary>
    public IReadOnlyList<TimedFrame> Complete()
    {
        var done = Flush(null);
        _lastEnd = _lastPts == long.MinValue ? null : _lastPts + (long)Math.Round(_interval > 0 ? _interval : DefaultInterval);
        return done;
    }

    private List<TimedFrame> Flush(long? nextKey)
    {
        var n = _gop.Count;
        if (n == 0)
        {
            return [];
        }

        var times = _gop.Select(g => g.Frame.TimeMilliseconds * 90).ToArray();
        var known = _gop.All(g => g.Order.Count is not null);
        OrderUnknown |= !known;
        // display rank of each frame: by order count, decode order among equals (and for pictures whose order is unknown)
        var rank = new int[n];
        var byDisplay = Enumerable.Range(0, n).OrderBy(i => known ? _gop[i].Order.Count!.Value : i).ThenBy(i => i).ToArray();
        for (var r = 0; r < n; r++)
        {
            rank[byDisplay[r]] = r;
        }

        var reordered = rank.Where((r, i) => r != i).Any();
        Reordered |= reordered;
        var exact = !reordered && times[0] > _lastPts && times.Zip(times.Skip(1)).All(p => p.Second > p.First);
        var frames = new List<TimedFrame>(n);
        if (exact)
        {
            var steps = times.Zip(times.Skip(1)).Select(p => (double)(p.Second - p.First)).Where(d => d <= LongestInterval).Order().ToArray();
            if (steps.Length > 0)
            {
                _interval = steps[steps.Length / 2];
            }
            else if (nextKey is { } next && next - times[0] is > 0 and <= (long)LongestInterval)
            {
                _interval = next - times[0];
            }

            for (var i = 0; i < n; i++)
            {
                frames.Add(Emit(times[i], times[i], i));
            }
        }
        else
        {
            // evenly from this key frame to the next; across a gap in the recording, at the last interval known
            var span = nextKey is { } next ? (next - times[0]) / (double)n : 0;
            _interval = span is > 0 and <= LongestInterval ? span
                : _interval > 0 ? _interval
                : n > 1 && times[^1] > times[0] ? Math.Min(LongestInterval, (times[^1] - times[0]) / (double)(n - 1))
                : DefaultInterval;
            _delay = Math.Max(_delay, Enumerable.Range(0, n).Max(i => i - rank[i]));
            for (var i = 0; i < n; i++)
            {
                frames.Add(Emit(times[0] + (long)Math.Round((i - _delay) * _interval), times[0] + (long)Math.Round(rank[i] * _interval), i));
            }
        }

        _gop.Clear();
        return frames;
    }

    /// <summary>Decode times strictly rising and never after the presentation time, whatever the recorder's times were.</summary>
    private TimedFrame Emit(long dts, long pts, int index)
    {
        dts = Math.Max(dts, _lastDts + 1);
        pts = Math.Max(pts, dts);
        _lastDts = dts;
        _lastPts = Math.Max(_lastPts, pts);
        var frame = _gop[index].Frame;
        return new TimedFrame(dts, pts, frame.IsKey, frame.Data);
    }
}

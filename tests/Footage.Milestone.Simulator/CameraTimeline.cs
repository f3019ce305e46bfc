namespace Footage.Milestone.Simulator;

/// <summary>
/// One camera's recording as a sequence of frames in decode order, computed on demand from its clip: a span of days
/// holds millions of frames, so none is stored; frame <c>i</c> of a span is the clip's frame <c>i mod n</c>, stamped
/// with the span's start plus the clip's arrival time of that frame plus the clip's length for every earlier loop.
/// </summary>
public sealed class CameraTimeline
{
    private readonly List<Span> _spans = [];

    public CameraTimeline(SimulatedCamera camera, RecordedClip clip)
    {
        Camera = camera;
        Clip = clip;
        long first = 0;
        foreach (var sequence in camera.Sequences.OrderBy(s => s.Start))
        {
            var count = (long)Math.Round(sequence.Seconds * RecordedClip.FramesPerSecond);
            if (count > 0)
            {
                _spans.Add(new Span(sequence.Start.ToUnixTimeMilliseconds(), first, count));
                first += count;
            }
        }

        Count = first;
    }

    public SimulatedCamera Camera { get; }

    public RecordedClip Clip { get; }

    public long Count { get; }

    public ushort Codec => Clip.Format switch
    {
        ClipFormat.Jpeg => 0x0001,
        ClipFormat.H265 or ClipFormat.H265BFrames => 0x000E,
        _ => 0x000A,
    };

    public RecordedFrame this[long index]
    {
        get
        {
            var span = _spans[SpanOf(index)];
            var n = Clip.Frames.Count;
            var local = index - span.First;
            var loopStart = span.Start + (local / n * Clip.DurationMilliseconds);
            var i = (int)(local % n);
            var key = i;
            while (!Clip.Frames[key].Key && key > 0)
            {
                key--;
            }

            return new RecordedFrame(loopStart + Clip.Arrival[i], loopStart + Clip.Arrival[key], Clip.Frames[i].Key, Clip.Frames[i].Data, Codec);
        }
    }

    /// <summary>The last frame at or before <paramref name="time"/> (the last of several with that time); -1 before the first frame.</summary>
    public long IndexAtOrBefore(long time)
    {
        var s = _spans.FindLastIndex(x => x.Start <= time);
        if (s < 0)
        {
            return -1;
        }

        var span = _spans[s];
        var offset = time - span.Start;
        var loop = offset / Clip.DurationMilliseconds;
        var within = offset % Clip.DurationMilliseconds;
        var i = Array.FindLastIndex(Clip.Arrival, a => a <= within);
        return span.First + Math.Min(span.Count - 1, (loop * Clip.Frames.Count) + i);
    }

    /// <summary>The key frame that begins the GOP of frame <paramref name="index"/>.</summary>
    public long KeyFrameOf(long index)
    {
        var first = _spans[SpanOf(index)].First;
        while (index > first && !this[index].Key)
        {
            index--;
        }

        return index;
    }

    /// <summary>The recorded spans: runs of frames without a gap longer than a second, as (first frame, last frame) times.</summary>
    public IEnumerable<(long Begin, long End)> Sequences()
    {
        (long Begin, long End)? run = null;
        foreach (var span in _spans)
        {
            var begin = this[span.First].TimeMilliseconds;
            var end = this[span.First + span.Count - 1].TimeMilliseconds;
            if (run is { } current && begin - current.End <= 1000)
            {
                run = (current.Begin, end);
                continue;
            }

            if (run is { } done)
            {
                yield return done;
            }

            run = (begin, end);
        }

        if (run is { } last)
        {
            yield return last;
        }
    }

    private int SpanOf(long index)
    {
        if (index < 0 || index >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        return _spans.FindLastIndex(s => s.First <= index);
    }

    private sealed record Span(long Start, long First, long Count);
}

using Footage.Core.Segments;
using Footage.Playback.Playlists;

namespace Footage.Playback.Timeline;

/// <summary>Recorded spans and the gaps between them over a range, for a timeline. Pure.</summary>
public static class TimelineSpans
{
    public sealed record Span(DateTimeOffset StartTime, DateTimeOffset EndTime);

    public static (IReadOnlyList<Span> Spans, IReadOnlyList<Span> Gaps) Build(IEnumerable<Segment> segments, DateTimeOffset from, DateTimeOffset to)
    {
        var spans = new List<Span>();
        foreach (var segment in segments.OrderBy(s => s.StartTime))
        {
            var start = segment.StartTime < from ? from : segment.StartTime;
            var end = segment.EndTime > to ? to : segment.EndTime;
            if (end <= start)
            {
                continue;
            }

            if (spans.Count > 0 && start - spans[^1].EndTime <= ChunkPlanner.GapTolerance)
            {
                var last = spans[^1];
                spans[^1] = last with { EndTime = end > last.EndTime ? end : last.EndTime };
            }
            else
            {
                spans.Add(new Span(start, end));
            }
        }

        var gaps = new List<Span>();
        var cursor = from;
        foreach (var span in spans)
        {
            if (span.StartTime > cursor)
            {
                gaps.Add(new Span(cursor, span.StartTime));
            }

            cursor = span.EndTime;
        }

        if (cursor < to)
        {
            gaps.Add(new Span(cursor, to));
        }

        return (spans, gaps);
    }
}

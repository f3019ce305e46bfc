using Footage.Core.Live;
using Footage.Playback.Playlists;

namespace Footage.Playback.Live;

/// <summary>
/// Cuts the pictures of a chunk into partial segments (LL-HLS) of at most the part target: a part ends before a key frame or
/// before the picture that would make it longer than the target. A part is only cut once the picture after its end is known,
/// so the parts of a chunk still being written are the same ones it has when it is whole. Pure.
/// </summary>
public static class LiveParts
{
    /// <param name="frames">Where the file's recent pictures start, in byte order.</param>
    /// <param name="fromOffset">The chunk's first byte (a picture's start).</param>
    /// <param name="end">The chunk's end (byte offset and ms from the file's start) when it is whole; null while it is being written.</param>
    /// <returns>The parts, or null when the pictures from <paramref name="fromOffset"/> are not known.</returns>
    public static IReadOnlyList<PartialSegment>? Cut(IReadOnlyList<LiveFrame> frames, long fromOffset, (long Offset, long Milliseconds)? end, TimeSpan target)
    {
        var first = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            // a file's first chunk starts at its first byte, before the PAT and PMT of its first picture
            if (frames[i].ByteOffset == fromOffset || (fromOffset == 0 && i == 0 && frames[0].Key))
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return null;
        }

        var bounds = new List<LiveFrame>();
        if (frames[first].ByteOffset != fromOffset)
        {
            bounds.Add(frames[first] with { ByteOffset = fromOffset });
            first++;
        }

        for (var i = first; i < frames.Count && (end is null || frames[i].ByteOffset < end.Value.Offset); i++)
        {
            if (bounds.Count == 0 || frames[i].ByteOffset > bounds[^1].ByteOffset)
            {
                bounds.Add(frames[i]);
            }
        }

        if (end is { } whole)
        {
            if (bounds.Count == 0 || bounds[^1].ByteOffset >= whole.Offset)
            {
                return null;
            }

            bounds.Add(new LiveFrame(whole.Milliseconds, whole.Offset, Key: true));
        }

        var targetMs = (long)target.TotalMilliseconds;
        var parts = new List<PartialSegment>();
        var start = 0;
        for (var k = 1; k < bounds.Count; k++)
        {
            var isEnd = end is not null && k == bounds.Count - 1;
            if (bounds[k].Key || isEnd)
            {
                if (bounds[k].OffsetMilliseconds - bounds[start].OffsetMilliseconds > targetMs && k - 1 > start)
                {
                    Add(parts, bounds, start, k - 1);
                    start = k - 1;
                }

                Add(parts, bounds, start, k);
                start = k;
            }
            else if (bounds[k].OffsetMilliseconds - bounds[start].OffsetMilliseconds > targetMs)
            {
                var cut = k - 1 > start ? k - 1 : k;
                Add(parts, bounds, start, cut);
                start = cut;
            }
        }

        return parts;
    }

    private static void Add(List<PartialSegment> parts, List<LiveFrame> bounds, int from, int to)
    {
        var duration = Math.Max(1, bounds[to].OffsetMilliseconds - bounds[from].OffsetMilliseconds);
        parts.Add(new PartialSegment(bounds[from].ByteOffset, bounds[to].ByteOffset - bounds[from].ByteOffset, TimeSpan.FromMilliseconds(duration), bounds[from].Key));
    }
}

using System.Text.Json;

namespace Footage.Core.Segments;

/// <summary>
/// Where each key frame of a stored MPEG-TS segment starts: its time from the segment start and the byte
/// offset of the packets (PAT/PMT) that precede it. Playback cuts byte-range chunks from this without
/// reading the object back.
/// </summary>
public sealed record KeyframeIndex(IReadOnlyList<Keyframe> Entries)
{
    public static readonly int MaxEntries = 200_000;

    public string ToJson() =>
        JsonSerializer.Serialize(Entries.Select(k => new[] { k.OffsetMilliseconds, k.ByteOffset }));

    public static KeyframeIndex FromJson(string json)
    {
        var pairs = JsonSerializer.Deserialize<long[][]>(json) ?? [];
        return new KeyframeIndex(pairs.Select(p => new Keyframe(p[0], p[1])).ToArray());
    }
}

/// <summary>One key frame: milliseconds from the segment start, and the byte offset where its chunk starts.</summary>
public readonly record struct Keyframe(long OffsetMilliseconds, long ByteOffset);

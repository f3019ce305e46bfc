using System.Globalization;
using System.Text;

namespace Footage.Playback.Playlists;

/// <summary>
/// Writes an HLS media playlist (version 7): byte-range chunks, a discontinuity wherever timestamps restart (a new stored file,
/// missing footage), and the precise start inside the first chunk. Lines are kept short, as a 7-day playlist holds tens of
/// thousands of chunks: <c>EXT-X-PROGRAM-DATE-TIME</c> only where the wall clock does not simply continue from the chunk before
/// (the first chunk, after a discontinuity or a hole; a player counts the others from their durations, to the millisecond), a
/// byte range without its offset when it follows the one before in the same file, and links that are a short file name.
/// Low-latency playlists add the partial segments near the live edge. Pure text, no I/O.
/// </summary>
public static class PlaylistWriter
{
    /// <param name="uri">The link of an entry (or of its parts).</param>
    /// <param name="pending">The chunk being written at the live edge: its parts only (it has no duration yet).</param>
    /// <param name="byteRanges">False when each chunk has a link of its own (a transcoded rendition), not a range of a file.</param>
    public static string Write(
        PlaylistHead head, IReadOnlyList<PlaylistEntry> entries, Func<PlaylistEntry, string> uri, PlaylistEntry? pending = null, bool byteRanges = true)
    {
        var text = new StringBuilder(256 + (entries.Count * 64));
        text.Append("#EXTM3U\n");
        if (head.Comment is { } comment)
        {
            text.Append("# ").Append(comment.ReplaceLineEndings(" ")).Append('\n');
        }

        text.Append("#EXT-X-VERSION:7\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{Math.Max(1, head.TargetDuration)}\n");
        if (head.PartTarget is { } partTarget)
        {
            var holdBack = partTarget * 3;
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK={Seconds(holdBack)}\n");
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-PART-INF:PART-TARGET={Seconds(partTarget)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{head.MediaSequence}\n");
        if (head.DiscontinuitySequence > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-DISCONTINUITY-SEQUENCE:{head.DiscontinuitySequence}\n");
        }

        if (head.PlaylistType is { } type)
        {
            text.Append("#EXT-X-PLAYLIST-TYPE:").Append(type).Append('\n');
        }

        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (head.StartOffset > TimeSpan.Zero)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-START:TIME-OFFSET={Seconds(head.StartOffset)},PRECISE=YES\n");
        }

        PlaylistEntry? previous = null;
        foreach (var entry in entries)
        {
            var link = uri(entry);
            Boundary(text, previous, entry);
            Parts(text, entry, link);
            text.Append("#EXTINF:").Append(Seconds(entry.Duration)).Append(",\n");
            if (byteRanges)
            {
                text.Append("#EXT-X-BYTERANGE:").Append(entry.Length.ToString(CultureInfo.InvariantCulture));
                if (previous is null || previous.Name != entry.Name || previous.Offset + previous.Length != entry.Offset)
                {
                    text.Append('@').Append(entry.Offset.ToString(CultureInfo.InvariantCulture));
                }

                text.Append('\n');
            }

            text.Append(link).Append('\n');
            previous = entry;
        }

        if (pending is not null)
        {
            // a low-latency playlist always ends with what comes next, so that a player knows the segment it is waiting for
            var link = uri(pending);
            Boundary(text, previous, pending);
            Parts(text, pending, link);
            if (pending.NextPartOffset is { } next)
            {
                text.Append(CultureInfo.InvariantCulture, $"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"{link}\",BYTERANGE-START={next}\n");
            }
        }

        if (head.Ended)
        {
            text.Append("#EXT-X-ENDLIST\n");
        }

        return text.ToString();
    }

    /// <summary>Seconds to the millisecond, without trailing zeros (2, 2.04, 10.001).</summary>
    public static string Seconds(TimeSpan value) => Math.Round(value.TotalSeconds, 3).ToString("0.###", CultureInfo.InvariantCulture);

    private static void Boundary(StringBuilder text, PlaylistEntry? previous, PlaylistEntry entry)
    {
        if (previous is not null && entry.Discontinuity)
        {
            text.Append("#EXT-X-DISCONTINUITY\n");
        }

        if (previous is null || entry.Discontinuity || previous.End != entry.Start)
        {
            text.Append("#EXT-X-PROGRAM-DATE-TIME:").Append(entry.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void Parts(StringBuilder text, PlaylistEntry entry, string link)
    {
        foreach (var part in entry.Parts)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-PART:DURATION={Seconds(part.Duration)},URI=\"{link}\",BYTERANGE=\"{part.Length}@{part.Offset}\"");
            text.Append(part.Independent ? ",INDEPENDENT=YES\n" : "\n");
        }
    }
}

using System.Globalization;
using System.Text;

namespace Footage.Playback.Playlists;

/// <summary>
/// Writes the HLS media playlist of a plan: byte-range chunks (version 7), the wall-clock time of every
/// chunk, a discontinuity wherever a new stored file starts (its timestamps restart) or footage is
/// missing, and the precise start inside the first chunk. Pure text, no I/O.
/// </summary>
public static class PlaylistWriter
{
    /// <param name="byteRanges">False when each chunk has a URI of its own (a transcoded rendition), not a range of a stored object.</param>
    public static string Write(ChunkPlanner.Plan plan, Func<Chunk, string> uri, bool growing, bool byteRanges = true)
    {
        var text = new StringBuilder(128 + (plan.Chunks.Count * 160));
        var target = plan.Chunks.Count == 0 ? 1 : (int)Math.Ceiling(plan.Chunks.Max(c => c.Duration.TotalSeconds));
        text.Append("#EXTM3U\n#EXT-X-VERSION:7\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{Math.Max(1, target)}\n");
        text.Append("#EXT-X-MEDIA-SEQUENCE:0\n");
        text.Append(growing ? "#EXT-X-PLAYLIST-TYPE:EVENT\n" : "#EXT-X-PLAYLIST-TYPE:VOD\n");
        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (plan.StartOffset > TimeSpan.Zero)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-START:TIME-OFFSET={plan.StartOffset.TotalSeconds:0.###},PRECISE=YES\n");
        }

        for (var i = 0; i < plan.Chunks.Count; i++)
        {
            var chunk = plan.Chunks[i];
            if (i > 0 && (chunk.NewFile || chunk.AfterGap))
            {
                text.Append("#EXT-X-DISCONTINUITY\n");
            }

            text.Append("#EXT-X-PROGRAM-DATE-TIME:").Append(chunk.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{chunk.Duration.TotalSeconds:0.000},\n");
            if (byteRanges)
            {
                text.Append(CultureInfo.InvariantCulture, $"#EXT-X-BYTERANGE:{chunk.Length}@{chunk.Offset}\n");
            }

            text.Append(uri(chunk)).Append('\n');
        }

        if (!growing)
        {
            text.Append("#EXT-X-ENDLIST\n");
        }

        return text.ToString();
    }
}

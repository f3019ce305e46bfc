using Footage.Playback.Playlists;
using Xunit;

namespace Footage.Playback.Tests.Unit;

public sealed class PlaylistWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly MediaName A = MediaName.Of(T0, "filesystem");
    private static readonly MediaName B = MediaName.Of(T0.AddSeconds(10), "filesystem");

    private static PlaylistEntry Entry(MediaName name, long offset, int second, bool discontinuity = false) =>
        new(name, offset, 1000, T0.AddSeconds(second), TimeSpan.FromSeconds(2), discontinuity);

    [Fact]
    public void Chunk_lines_are_short_a_date_time_only_where_the_clock_does_not_run_on_and_ranges_continue_without_offsets()
    {
        var entries = new[] { Entry(A, 0, 0), Entry(A, 1000, 2), Entry(B, 0, 10, discontinuity: true), Entry(B, 1000, 12), Entry(B, 5000, 20) };
        var text = PlaylistWriter.Write(new PlaylistHead(0, 0, 2, "VOD", Ended: true), entries, e => "m/t/" + e.Name + ".ts");
        var expected = $"""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:2
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-PROGRAM-DATE-TIME:2026-11-24T10:00:00.000Z
            #EXTINF:2,
            #EXT-X-BYTERANGE:1000@0
            m/t/{A}.ts
            #EXTINF:2,
            #EXT-X-BYTERANGE:1000
            m/t/{A}.ts
            #EXT-X-DISCONTINUITY
            #EXT-X-PROGRAM-DATE-TIME:2026-11-24T10:00:10.000Z
            #EXTINF:2,
            #EXT-X-BYTERANGE:1000@0
            m/t/{B}.ts
            #EXTINF:2,
            #EXT-X-BYTERANGE:1000
            m/t/{B}.ts
            #EXT-X-PROGRAM-DATE-TIME:2026-11-24T10:00:20.000Z
            #EXTINF:2,
            #EXT-X-BYTERANGE:1000@5000
            m/t/{B}.ts
            #EXT-X-ENDLIST

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void A_low_latency_live_playlist_lists_parts_and_ends_with_a_preload_hint()
    {
        var part = new PartialSegment(1000, 300, TimeSpan.FromMilliseconds(320), Independent: true);
        var pending = new PlaylistEntry(A, 1000, 0, T0.AddSeconds(2), TimeSpan.Zero, false) { Parts = [part], NextPartOffset = 1300 };
        var text = PlaylistWriter.Write(new PlaylistHead(17_000_000_000, 3, 2, null, Ended: false) { PartTarget = TimeSpan.FromMilliseconds(333) },
            [Entry(A, 0, 0)], e => e.Name + ".ts", pending);
        Assert.Contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.999\n", text, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-PART-INF:PART-TARGET=0.333\n#EXT-X-MEDIA-SEQUENCE:17000000000\n#EXT-X-DISCONTINUITY-SEQUENCE:3\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PLAYLIST-TYPE", text, StringComparison.Ordinal);
        Assert.EndsWith($"#EXT-X-PART:DURATION=0.32,URI=\"{A}.ts\",BYTERANGE=\"300@1000\",INDEPENDENT=YES\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"{A}.ts\",BYTERANGE-START=1300\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_name_is_eight_characters_that_name_the_same_file_when_its_start_moves_by_milliseconds()
    {
        Assert.Equal(8, A.ToString().Length);
        Assert.True(MediaName.TryParse(A.ToString(), out var parsed));
        Assert.Equal(A, parsed);
        Assert.True(A.Matches(T0.AddMilliseconds(-7), "s3"));
        Assert.False(A.Matches(T0.AddSeconds(2), "filesystem"));
        Assert.False(A.Matches(T0, "milestone"));
        var milestone = MediaName.Of(T0, "milestone");
        Assert.EndsWith("-ms", milestone.ToString(), StringComparison.Ordinal);
        Assert.True(MediaName.TryParse(milestone.ToString(), out var back) && back.Milestone);
        Assert.False(MediaName.TryParse("../etc", out _));
    }
}

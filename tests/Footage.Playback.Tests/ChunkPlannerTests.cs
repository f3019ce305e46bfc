using Footage.Core.Segments;
using Footage.Playback.Playlists;
using Footage.Playback.Timeline;
using Xunit;

namespace Footage.Playback.Tests;

public sealed class ChunkPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A segment of <paramref name="seconds"/> with a key frame every 2 s, 1000 bytes per second.</summary>
    private static Segment Seg(DateTimeOffset start, int seconds)
    {
        var keys = Enumerable.Range(0, seconds / 2).Select(i => new Keyframe(i * 2000L, i * 2000L)).ToArray();
        return new Segment(Guid.NewGuid(), Guid.Empty, start, start.AddSeconds(seconds), seconds, seconds * 1000L, "filesystem", "x.ts", null, null, start, new KeyframeIndex(keys));
    }

    [Fact]
    public void Chunks_are_cut_at_key_frames_near_the_target_and_cover_the_file_without_overlap()
    {
        var segment = Seg(T0, 60);
        var plan = ChunkPlanner.Build([segment], T0, T0.AddSeconds(60), TimeSpan.FromSeconds(10));
        Assert.Equal(6, plan.Chunks.Count);
        Assert.All(plan.Chunks, c => Assert.Equal(TimeSpan.FromSeconds(10), c.Duration));
        Assert.Equal(0, plan.Chunks[0].Offset);
        Assert.Equal(segment.SizeBytes, plan.Chunks.Sum(c => c.Length));
        for (var i = 1; i < plan.Chunks.Count; i++)
        {
            Assert.Equal(plan.Chunks[i - 1].Offset + plan.Chunks[i - 1].Length, plan.Chunks[i].Offset);
        }

        Assert.True(plan.Chunks[0].NewFile);
        Assert.DoesNotContain(plan.Chunks.Skip(1), c => c.NewFile);
    }

    [Fact]
    public void A_growing_file_lists_only_whole_chunks_and_each_prefix_plans_as_the_closed_file_does()
    {
        // the closed file: 33 s, key frames every 2 s; while it grew, it offered whole GOPs up to each key frame
        var closed = Seg(T0, 33);
        var target = TimeSpan.FromSeconds(5);
        var final = ChunkPlanner.Build([closed], T0, DateTimeOffset.MaxValue, target);
        var listed = 0;
        for (var seen = 2; seen <= closed.Keyframes!.Entries.Count; seen++)
        {
            var last = closed.Keyframes.Entries[seen - 1];
            var growing = closed with
            {
                EndTime = T0.AddMilliseconds(last.OffsetMilliseconds),
                SizeBytes = last.ByteOffset,
                Keyframes = new KeyframeIndex(closed.Keyframes.Entries.Take(seen - 1).ToArray()),
            };
            var plan = ChunkPlanner.Build([growing], T0, DateTimeOffset.MaxValue, target, new HashSet<Guid> { closed.Id });
            Assert.All(plan.Chunks, c => Assert.True(c.Duration >= target, $"a {c.Duration} chunk is listed before it is whole"));
            Assert.Equal(final.Chunks.Take(plan.Chunks.Count), plan.Chunks);
            Assert.True(plan.Chunks.Count >= listed, "a chunk once listed stays listed");
            listed = plan.Chunks.Count;
        }

        // the short last chunk is listed once the file is closed, not before
        Assert.Equal(final.Chunks.Count - 1, listed);
        Assert.True(final.Chunks[^1].Duration < target);
    }

    [Fact]
    public void A_range_starting_between_key_frames_starts_at_the_key_frame_before_and_says_where_from_is()
    {
        var plan = ChunkPlanner.Build([Seg(T0, 60)], T0.AddSeconds(13.4), T0.AddSeconds(25), TimeSpan.FromSeconds(4));
        Assert.Equal(T0.AddSeconds(12), plan.Chunks[0].Start);
        Assert.Equal(TimeSpan.FromSeconds(1.4), plan.StartOffset);
        Assert.True(plan.Chunks[^1].End >= T0.AddSeconds(25));
        Assert.True(plan.Chunks[^1].Start < T0.AddSeconds(25));
    }

    [Fact]
    public void Each_file_starts_a_discontinuity_and_a_real_hole_is_marked_as_a_gap()
    {
        var a = Seg(T0, 20);
        var b = Seg(T0.AddSeconds(20), 20);
        var c = Seg(T0.AddSeconds(60), 20);
        var plan = ChunkPlanner.Build([c, a, b], T0, T0.AddSeconds(80), TimeSpan.FromSeconds(10));
        Assert.Equal([a.Id, a.Id, b.Id, b.Id, c.Id, c.Id], plan.Chunks.Select(x => x.SegmentId));
        Assert.Equal([true, false, true, false, true, false], plan.Chunks.Select(x => x.NewFile));
        Assert.Equal([false, false, false, false, true, false], plan.Chunks.Select(x => x.AfterGap));
    }

    [Fact]
    public void A_growing_playlist_is_an_event_without_an_end_and_a_precise_start_is_announced()
    {
        var plan = ChunkPlanner.Build([Seg(T0, 20)], T0.AddSeconds(3), T0.AddSeconds(30), TimeSpan.FromSeconds(10));
        var entries = plan.Chunks.Select(c => new PlaylistEntry(MediaName.Of(T0, "filesystem"), c.Offset, c.Length, c.Start, c.Duration, false)).ToList();
        var text = PlaylistWriter.Write(new PlaylistHead(0, 0, 10, "EVENT", Ended: false) { StartOffset = plan.StartOffset }, entries, e => "m");
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:EVENT", text);
        Assert.DoesNotContain("#EXT-X-ENDLIST", text);
        Assert.Contains("#EXT-X-START:TIME-OFFSET=1,PRECISE=YES", text);
    }

    [Fact]
    public void A_segment_without_an_index_is_one_chunk_and_nothing_outside_the_range_is_planned()
    {
        var bare = new Segment(Guid.NewGuid(), Guid.Empty, T0, T0.AddSeconds(30), 30, 999, "filesystem", "x.ts", null, null, T0, null);
        var plan = ChunkPlanner.Build([bare, Seg(T0.AddHours(1), 10)], T0.AddSeconds(5), T0.AddSeconds(10), TimeSpan.FromSeconds(10));
        var chunk = Assert.Single(plan.Chunks);
        Assert.Equal((0L, 999L), (chunk.Offset, chunk.Length));
    }

    [Fact]
    public void Timeline_spans_merge_touching_files_and_gaps_fill_the_rest()
    {
        var (spans, gaps) = TimelineSpans.Build([Seg(T0.AddSeconds(10), 20), Seg(T0.AddSeconds(30.5), 10), Seg(T0.AddSeconds(60), 10)], T0, T0.AddSeconds(100));
        Assert.Equal([(T0.AddSeconds(10), T0.AddSeconds(40.5)), (T0.AddSeconds(60), T0.AddSeconds(70))], spans.Select(s => (s.StartTime, s.EndTime)));
        Assert.Equal([(T0, T0.AddSeconds(10)), (T0.AddSeconds(40.5), T0.AddSeconds(60)), (T0.AddSeconds(70), T0.AddSeconds(100))], gaps.Select(s => (s.StartTime, s.EndTime)));
    }
}

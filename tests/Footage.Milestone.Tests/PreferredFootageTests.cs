using Footage.Core.Segments;
using Footage.Milestone.Recordings;
using Footage.Milestone.Sync;
using Footage.Playback.Playlists;
using Xunit;

namespace Footage.Milestone.Tests;

/// <summary>The pure rules of storage mode BOTH (ours first, Milestone's in our gaps) and of cutting Milestone's sequences into pieces.</summary>
public sealed class PreferredFootageTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Milestone_footage_is_used_only_where_ours_has_a_gap()
    {
        var ours1 = Segment(0, 10, "filesystem");
        var ours2 = Segment(20, 30, "s3");
        var theirs = Segment(0, 40, PreferredFootage.MilestoneBackend);
        var windows = PreferredFootage.Select([theirs, ours2, ours1]);

        Assert.Equal(
            [(ours1.Id, 0d, 10d), (theirs.Id, 10d, 20d), (ours2.Id, 20d, 30d), (theirs.Id, 30d, 40d)],
            windows.Select(w => (w.Segment.Id, (w.From - T).TotalSeconds, (w.To - T).TotalSeconds)));
    }

    [Fact]
    public void Holes_shorter_than_the_tolerance_are_not_filled_and_ours_alone_is_untouched()
    {
        var ours1 = Segment(0, 10, "filesystem");
        var ours2 = Segment(10.5, 20, "filesystem");
        var theirs = Segment(0, 20, PreferredFootage.MilestoneBackend);
        Assert.Equal([ours1.Id, ours2.Id], PreferredFootage.Select([ours1, ours2, theirs]).Select(w => w.Segment.Id));
        Assert.All(PreferredFootage.Select([ours1, ours2]), w => Assert.True(w.IsWhole));
    }

    [Fact]
    public void For_a_stream_copy_a_window_inside_a_segment_enters_at_its_next_key_frame()
    {
        var ours = Segment(0, 10, "filesystem");
        var theirs = Segment(0, 20, PreferredFootage.MilestoneBackend, keyEverySeconds: 3);
        var windows = PreferredFootage.SelectForCopy([ours, theirs]);
        Assert.Equal(T.AddSeconds(12).AddMilliseconds(1), windows[1].From); // key frames at 0, 3, 6, 9, 12 ...
        Assert.Equal(T.AddSeconds(20), windows[1].To);
    }

    [Fact]
    public void A_playlist_switches_source_with_a_discontinuity_and_no_chunk_twice()
    {
        var ours1 = Segment(0, 10, "filesystem", keyEverySeconds: 1);
        var ours2 = Segment(20, 30, "filesystem", keyEverySeconds: 1);
        var theirs = Segment(0, 30, PreferredFootage.MilestoneBackend, keyEverySeconds: 1);
        var plan = SourcePlanner.Build([ours1, ours2, theirs], T, T.AddSeconds(30), TimeSpan.FromSeconds(4));

        Assert.Equal([ours1.Id, theirs.Id, ours2.Id], plan.Chunks.Select(c => c.SegmentId).Distinct());
        Assert.Equal(3, plan.Chunks.Count(c => c.NewFile));
        Assert.DoesNotContain(plan.Chunks, c => c.AfterGap);
        Assert.Equal(30, plan.Chunks.Sum(c => c.Duration.TotalSeconds), 3);
        Assert.All(plan.Chunks.Zip(plan.Chunks.Skip(1)), p => Assert.Equal(p.First.End, p.Second.Start));
    }

    [Fact]
    public void Sequences_are_cut_into_pieces_and_a_growing_one_keeps_its_last_partial_piece_for_later()
    {
        var now = T.AddHours(1);
        var ended = new RecordedSequence(T, T, T.AddSeconds(25));
        Assert.Equal([(0d, 10d), (10d, 20d), (20d, 25d)],
            MilestoneSync.Pieces(ended, TimeSpan.FromSeconds(10), now).Select(p => ((p.Start - T).TotalSeconds, (p.End - T).TotalSeconds)));

        var growing = new RecordedSequence(T, T, now.AddSeconds(-1));
        var pieces = MilestoneSync.Pieces(growing, TimeSpan.FromMinutes(10), now).ToList();
        Assert.Equal(5, pieces.Count);
        Assert.All(pieces, p => Assert.Equal(TimeSpan.FromMinutes(10), p.End - p.Start));
    }

    private static Segment Segment(double from, double to, string backend, int keyEverySeconds = 0)
    {
        var length = (long)((to - from) * 1000);
        var index = keyEverySeconds > 0
            ? new KeyframeIndex(Enumerable.Range(0, (int)(length / 1000 / keyEverySeconds) + 1)
                .Select(i => new Keyframe(i * keyEverySeconds * 1000L, i * 10_000L)).Where(k => k.OffsetMilliseconds < length).ToArray())
            : null;
        return new Segment(Guid.NewGuid(), Guid.Empty, T.AddSeconds(from), T.AddSeconds(to), (int)(to - from), 1_000_000, backend, "k", null, null, T, index);
    }
}

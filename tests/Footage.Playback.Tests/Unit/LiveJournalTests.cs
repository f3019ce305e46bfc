using Footage.Playback.Live;
using Footage.Playback.Playlists;
using Xunit;

namespace Footage.Playback.Tests.Unit;

/// <summary>
/// The live journal keeps every chunk it listed exactly as it listed it, and only ever appends: across a file growing and closing,
/// a run's start tightened by milliseconds, a recorder that died with its file half listed, and that file turning up later.
/// </summary>
public sealed class LiveJournalTests
{
    private const long T0 = 1_796_000_000_000;
    private const string Token = "tok";

    /// <summary>The chunks of a file starting at <paramref name="startMs"/> with 2 s chunks of 1000 bytes, <paramref name="count"/> of them whole.</summary>
    private static List<LiveCandidate> File(long startMs, int count, bool milestone = false) =>
        Enumerable.Range(0, count).Select(i => new LiveCandidate(new MediaName(startMs, milestone), startMs, i * 2000L, i * 1000L, 1000, 2000, null)).ToList();

    [Fact]
    public void A_chunk_keeps_its_name_range_time_and_number_while_its_file_grows_closes_and_is_catalogued_a_few_ms_later()
    {
        var journal = LiveJournal.Start(File(T0, 2), T0 - 60_000, 100, 2, Token);
        var first = journal.Entries.ToList();
        journal = journal.Advance(File(T0, 4), Token);
        Assert.Equal(first, journal.Entries.Take(2));
        Assert.Equal(4, journal.Entries.Count);

        // catalogued: the run's anchor was tightened by 7 ms, so the catalog says the file starts 7 ms earlier
        var catalogued = File(T0 - 7, 5);
        var again = journal.Advance(catalogued, Token);
        Assert.Equal(journal.Entries, again.Entries.Take(4));
        var fifth = Assert.Single(again.Entries.Skip(4));
        Assert.Equal(new MediaName(T0, false).ToString(), fifth.Name);
        Assert.Equal(T0 + 8000, fifth.StartMs);
        Assert.False(fifth.Discontinuity);
        Assert.Equal(100, again.FirstSequence);
        Assert.Same(again, again.Advance(catalogued, Token));
    }

    [Fact]
    public void A_new_file_follows_with_a_discontinuity_and_the_rest_of_a_file_found_late_is_never_inserted_before_it()
    {
        // the recorder died with 3 chunks of its file listed; another recorder records a new file 9 s later
        var journal = LiveJournal.Start(File(T0, 3), T0 - 60_000, 1, 2, Token);
        var takenOver = File(T0 + 15_000, 2);
        journal = journal.Advance(takenOver, Token);
        Assert.Equal(5, journal.Entries.Count);
        Assert.True(journal.Entries[3].Discontinuity);
        Assert.Equal(1, journal.DiscontinuitySequenceAt(4));

        // the dead recorder comes back and catalogues its whole file: its last chunks are in the playlist's past
        var late = File(T0, 6).Concat(File(T0 + 15_000, 3)).ToList();
        var after = journal.Advance(late, Token);
        Assert.Equal(journal.Entries, after.Entries.Take(5));
        Assert.Equal(T0 + 15_000 + 4000, Assert.Single(after.Entries.Skip(5)).StartMs);
    }

    [Fact]
    public void Sliding_out_of_the_window_moves_the_first_sequence_and_discontinuity_numbers_with_it()
    {
        var journal = LiveJournal.Start(File(T0, 2).Concat(File(T0 + 4000, 2)).Concat(File(T0 + 8000, 2)).ToList(), T0 - 1, 50, 2, Token);
        Assert.Equal(2, journal.DiscontinuitySequenceAt(5));
        var trimmed = journal.Trim(T0 + 6000, minimum: 3);
        Assert.Equal(53, trimmed.FirstSequence);
        Assert.Equal(journal.Entries.Skip(3), trimmed.Entries);
        Assert.Equal(journal.DiscontinuitySequenceAt(5), trimmed.DiscontinuitySequenceAt(2));
        Assert.Equal(journal.DiscontinuitySequenceAt(3), trimmed.DiscontinuitySequenceAt(0));
        Assert.Equal(3, journal.Trim(T0 + 60_000, minimum: 3).Entries.Count);
    }

    [Fact]
    public void A_journal_started_later_numbers_its_chunks_past_those_of_an_earlier_one()
    {
        var earlier = LiveJournalStore.FirstSequenceAt(DateTimeOffset.FromUnixTimeMilliseconds(T0));
        // an hour of 1 s chunks in the earlier journal, then it is lost (the cache restarted) and a new one starts
        var later = LiveJournalStore.FirstSequenceAt(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 3_600_000));
        Assert.True(later > earlier + 3600);
    }

    [Fact]
    public void Milestone_footage_starting_when_ours_does_is_another_file()
    {
        var journal = LiveJournal.Start(File(T0, 2), T0 - 1, 1, 2, Token);
        var after = journal.Advance(File(T0, 2, milestone: true).Concat(File(T0, 3)).ToList(), Token);
        Assert.Equal(3, after.Entries.Count);
        Assert.All(after.Entries, e => Assert.DoesNotContain("-ms", e.Name, StringComparison.Ordinal));
    }
}

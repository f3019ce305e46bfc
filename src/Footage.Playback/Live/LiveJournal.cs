namespace Footage.Playback.Live;

/// <summary>
/// The chunks a camera's live playlist has listed, oldest first, numbered from <see cref="FirstSequence"/>: the memory that
/// keeps a live playlist stable. A chunk, once in it, keeps its link, byte range, start and duration; new footage is only ever
/// appended after the last chunk, never inserted before it, so that a media sequence number always means the same chunk. That
/// holds when the file moves from the recorder's spool to the catalog, when a run's first times are tightened, and when footage
/// turns up late (the rest of a file whose recorder died, catalogued after another recorder took the camera over: it is in the
/// past of the playlist, so it stays out; the range playlists list it). Old chunks are dropped from the front as the window
/// slides, moving the first sequence and discontinuity numbers with them. Pure: no I/O, no clock.
/// </summary>
public sealed record LiveJournal(long FirstSequence, long BaseDiscontinuity, int TargetDuration, IReadOnlyList<JournalEntry> Entries)
{
    /// <summary>How far a new file's chunk may start before the end of the last one (rotation jitter), and still follow it.</summary>
    public const long OverlapToleranceMs = 250;

    public long NextSequence => FirstSequence + Entries.Count;

    public long EndMs => Entries.Count == 0 ? long.MinValue : Entries[^1].EndMs;

    /// <summary>A journal of the chunks that end after <paramref name="fromMs"/>, numbered from <paramref name="firstSequence"/>.</summary>
    /// <param name="token">The media token of chunks listed now.</param>
    public static LiveJournal Start(IReadOnlyList<LiveCandidate> candidates, long fromMs, long firstSequence, int minimumTarget, string token)
    {
        var empty = new LiveJournal(firstSequence, 0, minimumTarget, []);
        return empty.Append(candidates.Where(c => c.EndMs > fromMs).ToList(), tail: null, token);
    }

    /// <summary>This journal with whatever in <paramref name="candidates"/> follows its last chunk; itself when nothing does.</summary>
    public LiveJournal Advance(IReadOnlyList<LiveCandidate> candidates, string token) => Entries.Count == 0 ? this : Append(candidates, Entries[^1], token);

    /// <summary>Drops chunks that ended before <paramref name="keepAfterMs"/> from the front, keeping at least <paramref name="minimum"/>.</summary>
    public LiveJournal Trim(long keepAfterMs, int minimum)
    {
        var drop = 0;
        while (Entries.Count - drop > minimum && Entries[drop].EndMs <= keepAfterMs)
        {
            drop++;
        }

        if (drop == 0)
        {
            return this;
        }

        var dropped = Entries.Take(drop).Count(e => e.Discontinuity);
        return this with { FirstSequence = FirstSequence + drop, BaseDiscontinuity = BaseDiscontinuity + dropped, Entries = Entries.Skip(drop).ToList() };
    }

    /// <summary>The discontinuity sequence number of the chunk at <paramref name="index"/> (what EXT-X-DISCONTINUITY-SEQUENCE says when it comes first).</summary>
    public long DiscontinuitySequenceAt(int index)
    {
        var count = BaseDiscontinuity;
        for (var i = 0; i <= index && i < Entries.Count; i++)
        {
            if (Entries[i].Discontinuity)
            {
                count++;
            }
        }

        return count;
    }

    private LiveJournal Append(IReadOnlyList<LiveCandidate> candidates, JournalEntry? tail, string token)
    {
        var added = new List<JournalEntry>();
        var last = tail;
        var sameFile = tail is null ? null : TailFile(candidates, tail);
        foreach (var candidate in candidates.OrderBy(c => c.StartMs))
        {
            JournalEntry entry;
            if (last is not null && sameFile is not null && candidate.Name == sameFile.Value && last.Name == tail!.Name)
            {
                // the rest of the file the last chunk came from: its name and start as first listed, so times run on exactly
                if (candidate.Offset < last.Offset + last.Length)
                {
                    continue;
                }

                entry = new JournalEntry(token, last.Name, last.FileStartMs, candidate.Offset, candidate.Length, last.FileStartMs + candidate.KeyMs, candidate.DurationMs, false, candidate.Parts);
            }
            else
            {
                if (last is not null && (candidate.StartMs < last.EndMs - OverlapToleranceMs || (sameFile is not null && candidate.Name == sameFile.Value)))
                {
                    continue; // in the past of the playlist, or a chunk of the last file already passed
                }

                var newFile = last is null || last.Name != candidate.Name.ToString() || last.FileStartMs != candidate.FileStartMs ||
                              candidate.Offset != last.Offset + last.Length;
                entry = new JournalEntry(token, candidate.Name.ToString(), candidate.FileStartMs, candidate.Offset, candidate.Length, candidate.StartMs,
                    candidate.DurationMs, last is not null && newFile, candidate.Parts);
            }

            added.Add(entry);
            last = entry;
        }

        if (added.Count == 0)
        {
            return this;
        }

        var longest = (int)Math.Ceiling(added.Max(e => e.DurationMs) / 1000.0);
        return this with { TargetDuration = Math.Max(TargetDuration, longest), Entries = [.. Entries, .. added] };
    }

    /// <summary>
    /// The candidates' name for the file of the last chunk: one starting about when it started whose chunk at its byte offset has
    /// its length and time from the file's start. Null when the footage at hand does not have that file (any more).
    /// </summary>
    public static Playlists.MediaName? TailFile(IReadOnlyList<LiveCandidate> candidates, JournalEntry tail)
    {
        var keyMs = tail.StartMs - tail.FileStartMs;
        foreach (var c in candidates)
        {
            if (c.Offset == tail.Offset && c.Length == tail.Length && c.KeyMs == keyMs &&
                Math.Abs(c.FileStartMs - tail.FileStartMs) <= (long)Playlists.MediaName.Tolerance.TotalMilliseconds &&
                c.Name.Milestone == tail.Name.EndsWith("-ms", StringComparison.Ordinal))
            {
                return c.Name;
            }
        }

        return null;
    }
}

using System.Diagnostics;
using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Playback.Caching;
using Footage.Playback.Playlists;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Live;

/// <summary>
/// The live edge of a camera as a sliding-window HLS playlist. Each request brings the camera's <see cref="LiveJournal"/> up to
/// date with the footage at hand (the catalogued segments and the recorder's uncatalogued files, the one being written up to its
/// last whole group of pictures) and lists the journal's chunks: a chunk, once listed, is listed the same way (link, byte range,
/// duration, date-time, number) until it slides out. With low latency on, the pictures after the last whole chunk are listed as
/// partial segments, and a request for a segment or part that is not there yet waits for it (blocking reload).
/// </summary>
public sealed class LivePlaylist(
    ISegmentCatalog catalog, LiveSegmentSnapshots live, LiveJournalStore journals, TimeProvider clock, IOptions<PlaybackOptions> options)
{
    /// <summary>A journal keeps at least this many chunks, so that a camera that stopped still has a valid, if old, playlist.</summary>
    public const int MinimumEntries = 3;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public sealed record Result(LiveJournal Journal, int FirstVisible, PlaylistEntry? Pending, TimeSpan? PartTarget);

    /// <summary>The journal and what of it a viewer from <paramref name="from"/> sees; null when there is no footage since then.</summary>
    /// <param name="token">The media token of chunks listed now (<see cref="Media.MediaTokens"/>).</param>
    public async Task<Result?> BuildAsync(Guid cameraId, DateTimeOffset from, TimeSpan target, LiveWait? wait, string token, CancellationToken ct)
    {
        var settings = options.Value;
        var started = Stopwatch.GetTimestamp();
        var partTarget = settings.LivePartMilliseconds > 0 ? TimeSpan.FromMilliseconds(settings.LivePartMilliseconds) : (TimeSpan?)null;
        var deadline = clock.GetUtcNow() + (target * 3);
        List<Segment>? stored = null;
        string? storedFor = null;
        while (true)
        {
            var files = await live.ListAsync(cameraId, ct);
            var fileSet = string.Join('|', files.Select(f => f.File));
            var loaded = await journals.LoadAsync(cameraId, (int)target.TotalSeconds, ct);
            var now = clock.GetUtcNow();
            var seedFrom = Max(from, now - settings.LiveWindow);
            if (stored is null || storedFor != fileSet)
            {
                // the file of the journal's last chunk and what came after it; for a new journal, the window
                var tail = loaded.Journal is { Entries.Count: > 0 } held ? held.Entries[^1] : null;
                var catalogFrom = tail is null ? seedFrom : DateTimeOffset.FromUnixTimeMilliseconds(tail.FileStartMs).AddSeconds(-1);
                stored = await SegmentLoader.LoadAsync(catalog, cameraId, catalogFrom, now.AddMinutes(1), keyframes: true, ct);
                storedFor = fileSet;
            }

            var footage = LiveFootage.Merge(cameraId, stored, files, DateTimeOffset.MinValue);
            var known = loaded.Journal is { } j ? j.EndMs - 1000 : seedFrom.ToUnixTimeMilliseconds();
            var candidates = Candidates(cameraId, footage, files, target, partTarget, known);
            var journal = loaded.Journal is { Entries.Count: > 0 } current
                ? current.Advance(candidates, token)
                : LiveJournal.Start(candidates, seedFrom.ToUnixTimeMilliseconds(), LiveJournalStore.FirstSequenceAt(now), (int)Math.Ceiling(target.TotalSeconds), token);
            journal = journal.Trim((now - settings.LiveWindow).ToUnixTimeMilliseconds(), MinimumEntries);
            if (!ReferenceEquals(journal, loaded.Journal) && journal.Entries.Count > 0 &&
                !await journals.SaveAsync(cameraId, (int)target.TotalSeconds, loaded, journal, settings.LiveWindow, ct))
            {
                continue; // another request advanced it meanwhile: start again from theirs
            }

            var pending = partTarget is { } part ? Pending(journal, files, candidates, part, token) : null;
            var waitOver = wait is not { } w || w.IsMetBy(journal.NextSequence - 1, pending?.Parts.Count ?? 0) || clock.GetUtcNow() >= deadline;
            if (waitOver)
            {
                PlaybackMetrics.PlaylistBuild.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                var fromMs = from.ToUnixTimeMilliseconds();
                var first = 0;
                while (first < journal.Entries.Count && journal.Entries[first].EndMs <= fromMs)
                {
                    first++;
                }

                return first == journal.Entries.Count && pending is null ? null : new Result(journal, first, pending, partTarget);
            }

            await Task.Delay(Poll, clock, ct);
        }
    }

    /// <summary>
    /// The chunks the footage at hand gives, each file cut from its own start (so a chunk's bounds never depend on the request),
    /// with their partial segments where the recorder told where the pictures start; only those that may still be new.
    /// </summary>
    private static List<LiveCandidate> Candidates(
        Guid cameraId, LiveFootage.Footage footage, IReadOnlyList<LiveSegment> files, TimeSpan target, TimeSpan? partTarget, long newerThanMs)
    {
        var plan = SourcePlanner.Build(footage.Segments, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, target, footage.Growing);
        var segments = footage.Segments.ToDictionary(s => s.Id);
        var frames = files.ToDictionary(f => LiveFootage.IdOf(cameraId, f.File), f => f.Frames);
        var candidates = new List<LiveCandidate>();
        foreach (var chunk in plan.Chunks)
        {
            if (chunk.End.ToUnixTimeMilliseconds() <= newerThanMs)
            {
                continue;
            }

            var segment = segments[chunk.SegmentId];
            var fileStart = segment.StartTime.ToUnixTimeMilliseconds();
            var keyMs = (long)(chunk.Start - segment.StartTime).TotalMilliseconds;
            var durationMs = (long)chunk.Duration.TotalMilliseconds;
            var parts = partTarget is { } part && frames.TryGetValue(chunk.SegmentId, out var pictures)
                ? LiveParts.Cut(pictures, chunk.Offset, (chunk.Offset + chunk.Length, keyMs + durationMs), part)
                : null;
            candidates.Add(new LiveCandidate(MediaName.Of(segment.StartTime, segment.StorageBackend), fileStart, keyMs, chunk.Offset, chunk.Length, durationMs, parts));
        }

        return candidates;
    }

    /// <summary>The chunk being written after the journal's last one, as its whole pictures so far (partial segments); null when none.</summary>
    private static PlaylistEntry? Pending(LiveJournal journal, IReadOnlyList<LiveSegment> files, IReadOnlyList<LiveCandidate> candidates, TimeSpan partTarget, string token)
    {
        var open = files.Count > 0 ? files[^1] : null;
        if (open is not { Open: true } || journal.Entries.Count == 0)
        {
            return null;
        }

        var last = journal.Entries[^1];
        var openName = MediaName.Of(open.StartTime, LiveFootage.Backend);
        var sameFile = LiveJournal.TailFile(candidates, last) == openName;
        if (!sameFile && open.StartTime.ToUnixTimeMilliseconds() < last.EndMs - LiveJournal.OverlapToleranceMs)
        {
            return null;
        }

        var offset = sameFile ? last.Offset + last.Length : 0;
        var parts = LiveParts.Cut(open.Frames, offset, end: null, partTarget);
        if (parts is null)
        {
            return null;
        }

        var frameMs = open.Frames.FirstOrDefault(f => f.ByteOffset >= offset).OffsetMilliseconds;
        var name = sameFile && MediaName.TryParse(last.Name, out var frozen) ? frozen : openName;
        var fileStartMs = sameFile ? last.FileStartMs : open.StartTime.ToUnixTimeMilliseconds();
        return new PlaylistEntry(name, offset, 0, DateTimeOffset.FromUnixTimeMilliseconds(fileStartMs + frameMs), TimeSpan.Zero, Discontinuity: !sameFile)
        {
            Parts = parts, Token = token, NextPartOffset = parts.Count > 0 ? parts[^1].Offset + parts[^1].Length : offset,
        };
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

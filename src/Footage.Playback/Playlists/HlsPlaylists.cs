using System.Diagnostics;
using System.Globalization;
using System.Text;
using Footage.Core.Segments;
using Footage.Playback.Caching;
using Footage.Playback.Live;
using Footage.Playback.Media;
using Footage.Playback.Renditions;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Playlists;

/// <summary>
/// Builds the media playlists of a camera: a range (cut from the catalog, cached while it cannot change) or the live edge (the
/// camera's live journal). Links are relative: under the camera's media folder (<c>m/{token}/{file}</c>) for a playlist asked with
/// credentials, or bare file names for a shared link's playlist, which lives in the link's own signed folder. A transcoded
/// rendition lists the same chunks, times and numbers, each a link of its own.
/// </summary>
public sealed class HlsPlaylists(
    ISegmentCatalog catalog, IPlaybackCache cache, LivePlaylist live, MediaTokens tokens, IOptions<PlaybackOptions> options, TimeProvider clock)
{
    /// <summary>
    /// A playlist and whether it may be cached (it can no longer change); no text when its footage is in more chunks than a
    /// playlist may list (<see cref="PlaybackOptions.MaxPlaylistChunks"/>).
    /// </summary>
    public sealed record Built(byte[]? Text, bool Final, int Chunks);

    public int MaxChunks => options.Value.MaxPlaylistChunks;

    /// <param name="inFolder">True for a shared link's playlist: its links are bare file names in the link's folder.</param>
    /// <param name="comment">A comment line naming who shared the playlist (a link's); part of the cache key.</param>
    public async Task<Built?> RangeAsync(PlaybackRange range, TimeSpan target, string? rendition, bool inFolder, CancellationToken ct, string? comment = null)
    {
        var settings = options.Value;
        var generation = await cache.GenerationAsync(range.CameraId, ct);
        var key = string.Create(CultureInfo.InvariantCulture,
            $"playlist:{range.CameraId:N}:{generation}:{range.From.UtcTicks}:{range.To.UtcTicks}:{target.TotalSeconds}:{rendition}:{(inFolder ? "folder" : "camera")}:{comment}");
        if (await cache.GetAsync(key, ct) is { } cached)
        {
            PlaybackMetrics.CacheRequests.WithLabels("playlist", "hit").Inc();
            return new Built(cached, Final: true, 0);
        }

        PlaybackMetrics.CacheRequests.WithLabels("playlist", "miss").Inc();
        var started = Stopwatch.GetTimestamp();
        var segments = await SegmentLoader.LoadAsync(catalog, range.CameraId, range.From, range.To, keyframes: true, ct);
        var plan = SourcePlanner.Build(segments, range.From, range.To, target);
        if (plan.Chunks.Count == 0)
        {
            return null;
        }

        if (plan.Chunks.Count > settings.MaxPlaylistChunks)
        {
            return new Built(null, Final: false, plan.Chunks.Count);
        }

        var token = inFolder ? string.Empty : tokens.Current(range.CameraId);
        var files = segments.ToDictionary(s => s.Id);
        var entries = new List<PlaylistEntry>(plan.Chunks.Count);
        foreach (var chunk in plan.Chunks)
        {
            var segment = files[chunk.SegmentId];
            entries.Add(new PlaylistEntry(MediaName.Of(segment.StartTime, segment.StorageBackend), chunk.Offset, chunk.Length, chunk.Start, chunk.Duration,
                entries.Count > 0 && (chunk.NewFile || chunk.AfterGap)) { Token = token });
        }

        // a range reaching past the stored footage into the last moments may still grow: an EVENT playlist, never cached
        var growing = range.To > plan.Chunks[^1].End && range.To > clock.GetUtcNow() - (target * 2);
        var head = new PlaylistHead(0, 0, (int)Math.Ceiling(plan.Chunks.Max(c => c.Duration.TotalSeconds)), growing ? "EVENT" : "VOD", Ended: !growing)
        {
            StartOffset = plan.StartOffset,
            Comment = comment,
        };
        var text = Encoding.UTF8.GetBytes(Write(head, entries, null, rendition, inFolder));
        PlaybackMetrics.PlaylistBuild.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (!growing)
        {
            await cache.SetAsync(key, text, settings.PlaylistCacheFor, ct);
        }

        return new Built(text, Final: !growing, plan.Chunks.Count);
    }

    /// <summary>The live edge from <paramref name="from"/>; null when nothing was recorded since then.</summary>
    public async Task<byte[]?> LiveAsync(
        Guid cameraId, DateTimeOffset from, TimeSpan target, string? rendition, LiveWait? wait, bool inFolder, CancellationToken ct, string? comment = null)
    {
        var result = await live.BuildAsync(cameraId, from, target, rendition is null ? wait : null, tokens.Current(cameraId), ct);
        if (result is null)
        {
            return null;
        }

        var journal = result.Journal;
        var entries = new List<PlaylistEntry>(journal.Entries.Count - result.FirstVisible);
        // partial segments only near the edge (three target durations), where a player may still want them
        var partsAfterMs = journal.EndMs - (journal.TargetDuration * 3000L);
        for (var i = result.FirstVisible; i < journal.Entries.Count; i++)
        {
            var entry = journal.Entries[i].ToPlaylistEntry();
            entries.Add(entry.End.ToUnixTimeMilliseconds() > partsAfterMs && rendition is null ? entry : entry with { Parts = [] });
        }

        // partial segments only with the chunk being written after them (a playlist of parts must end with what comes next)
        var lowLatency = rendition is null && result.PartTarget is not null && result.Pending is not null;
        if (!lowLatency)
        {
            entries = entries.Select(e => e.Parts.Count > 0 ? e with { Parts = [] } : e).ToList();
        }

        var head = new PlaylistHead(journal.FirstSequence + result.FirstVisible, journal.DiscontinuitySequenceAt(result.FirstVisible), journal.TargetDuration, null, Ended: false)
        {
            PartTarget = lowLatency ? result.PartTarget : null,
            Comment = comment,
        };
        return Encoding.UTF8.GetBytes(Write(head, entries, lowLatency ? result.Pending : null, rendition, inFolder));
    }

    private static string Write(PlaylistHead head, IReadOnlyList<PlaylistEntry> entries, PlaylistEntry? pending, string? rendition, bool inFolder)
    {
        string Folder(PlaylistEntry e) => inFolder ? string.Empty : $"m/{e.Token}/";
        return rendition is null
            ? PlaylistWriter.Write(head, entries, e => Folder(e) + MediaFileName.Original(e.Name), pending)
            : PlaylistWriter.Write(head, entries, e => Folder(e) + MediaFileName.Transcoded(e.Name, e.Offset, e.Length, rendition), byteRanges: false);
    }
}

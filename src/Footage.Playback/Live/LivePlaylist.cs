using System.Diagnostics;
using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Playback.Caching;
using Footage.Playback.Playlists;
using Footage.ServiceDefaults.Auth;

namespace Footage.Playback.Live;

/// <summary>
/// The live edge: an EVENT playlist from <c>from</c> to the last whole group of pictures the recorder has written, built
/// on every request (never cached). Chunks of the file being written are planned exactly as they will be once it is
/// catalogued, and only once they are complete, so each refresh only appends; their links point at the live media
/// endpoint, which reads the recorder's spool file (or the catalogued object, once it has moved there).
/// </summary>
public static class LivePlaylist
{
    /// <returns>The playlist (null when there is no footage) and its chunk count; nothing is written when the count is above <c>MaxPlaylistChunks</c>.</returns>
    public static async Task<(string? Text, int Chunks)> BuildAsync(
        PlaybackRange range, TimeSpan target, ISegmentCatalog catalog, ILiveSegmentSource source, LinkSigner signer, PlaybackOptions settings, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var live = await source.ListAsync(range.CameraId, ct);
        // stored footage up to now and a little after: the recorder's clock and ours may differ by a moment
        var stored = await SegmentLoader.LoadAsync(catalog, range.CameraId, range.From, range.To.AddMinutes(1), keyframes: true, ct);
        var footage = LiveFootage.Merge(range.CameraId, stored, live, range.From);
        var plan = ChunkPlanner.Build(footage.Segments, range.From, DateTimeOffset.MaxValue, target, footage.Growing);
        if (plan.Chunks.Count == 0 || plan.Chunks.Count > settings.MaxPlaylistChunks)
        {
            return (null, plan.Chunks.Count);
        }

        var files = footage.Segments.Where(s => s.StorageBackend == LiveFootage.Backend).ToDictionary(s => s.Id);
        var links = new Dictionary<Guid, string>();
        var text = PlaylistWriter.Write(plan, chunk =>
        {
            if (!files.TryGetValue(chunk.SegmentId, out var file))
            {
                return HlsApi.MediaLink(range.CameraId, chunk.SegmentId, signer, settings, links);
            }

            if (!links.TryGetValue(chunk.SegmentId, out var link))
            {
                var (url, _) = signer.Sign(LiveMediaApi.PathOf(range.CameraId, file.StoragePath, file.StartTime), settings.MediaLinkLifetime);
                link = "live/" + url[(url.LastIndexOf('/') + 1)..];
                links[chunk.SegmentId] = link;
            }

            return link;
        }, growing: true);
        PlaybackMetrics.PlaylistBuild.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return (text, plan.Chunks.Count);
    }
}

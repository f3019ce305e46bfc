using System.Diagnostics;
using System.Globalization;
using System.Text;
using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Playback.Caching;
using Footage.Playback.Live;
using Footage.Playback.Renditions;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Playlists;

/// <summary>
/// <c>GET /api/v1/playback/{camera_id}/hls?from=&amp;to=</c>: an HLS playlist for any range, cut from the
/// stored segments at their key frames and served as byte ranges of the stored objects. Media links are
/// signed (they work without the API key, for this camera only, for a few hours).
/// </summary>
public static class HlsApi
{
    public const string ContentType = "application/vnd.apple.mpegurl";

    public static IEndpointRouteBuilder MapHlsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/playback/{camera_id}/hls", Playlist).RequireAuthorization(Roles.Viewer).WithTags("Playback")
            .AddEndpointFilter(Access.PlaybackAccessFilter.Playlist);
        return endpoints;
    }

    private static async Task<IResult> Playlist(
        string camera_id, string? from, string? to, string? hls_time, string? rendition, HttpContext http,
        ISegmentCatalog catalog, ILiveSegmentSource live, IPlaybackCache cache, LinkSigner signer, IOptions<PlaybackOptions> options, IOptions<AbrOptions> abr,
        TimeProvider clock, CancellationToken ct)
    {
        var settings = options.Value;
        var errors = new ValidationErrors();
        var now = clock.GetUtcNow();
        var range = PlaybackRange.Parse(camera_id, from, to, settings.MaxRange, errors, now);
        var target = QueryValues.Int(hls_time, "hls_time", range is { Live: true } ? settings.LiveHlsTimeSeconds : settings.HlsTimeSeconds, 1, 60, errors);
        if (range is not { } r)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // every playlist stays under a known size: the range at this hls_time must fit in MaxPlaylistChunks chunks
        if (errors.IsEmpty && (r.To - r.From).TotalSeconds / target > settings.MaxPlaylistChunks)
        {
            var needed = (int)Math.Ceiling((r.To - r.From).TotalSeconds / settings.MaxPlaylistChunks);
            errors.Add("hls_time", needed <= 60
                ? $"a range of {(r.To - r.From).TotalHours:0.##} hours needs hls_time {needed} or more: a playlist lists at most {settings.MaxPlaylistChunks} chunks"
                : $"a playlist lists at most {settings.MaxPlaylistChunks} chunks of at most 60 s: ask for {settings.MaxPlaylistChunks * 60 / 3600} hours or less");
        }

        var low = rendition == "low";
        if (rendition is not null && !low)
        {
            errors.Add("rendition", "is 'low' or left out (the original)");
        }
        else if (low && !abr.Value.Enabled)
        {
            errors.Add("rendition", "the low rendition is switched off (Footage:Playback:Abr:Enabled)");
        }
        else if (low && r.Live)
        {
            errors.Add("rendition", "the low rendition is for recorded ranges, not the live edge");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (r.Live)
        {
            var edge = await LivePlaylist.BuildAsync(r, TimeSpan.FromSeconds(target), catalog, live, signer, settings, ct);
            if (edge.Chunks > settings.MaxPlaylistChunks)
            {
                return TooManyPieces("from", edge.Chunks, settings);
            }

            return edge.Text is null
                ? TypedResults.Problem(statusCode: 404, title: "No footage", detail: $"Camera {r.CameraId} has no recorded footage since {r.From:O}.")
                : Serve(http, Encoding.UTF8.GetBytes(edge.Text), cacheable: false);
        }

        var generation = await cache.GenerationAsync(r.CameraId, ct);
        var key = string.Create(CultureInfo.InvariantCulture, $"playlist:{r.CameraId:N}:{generation}:{r.From.UtcTicks}:{r.To.UtcTicks}:{target}{(low ? ":low" : string.Empty)}");
        var cached = await cache.GetAsync(key, ct);
        if (cached is not null)
        {
            PlaybackMetrics.CacheRequests.WithLabels("playlist", "hit").Inc();
            return Serve(http, cached, cacheable: true);
        }

        PlaybackMetrics.CacheRequests.WithLabels("playlist", "miss").Inc();
        var started = Stopwatch.GetTimestamp();
        var segments = await SegmentLoader.LoadAsync(catalog, r.CameraId, r.From, r.To, keyframes: true, ct);
        var plan = SourcePlanner.Build(segments, r.From, r.To, TimeSpan.FromSeconds(target));
        if (plan.Chunks.Count == 0)
        {
            return TypedResults.Problem(statusCode: 404, title: "No footage",
                detail: $"Camera {r.CameraId} has no recorded footage between {r.From:O} and {r.To:O}.");
        }

        if (plan.Chunks.Count > settings.MaxPlaylistChunks)
        {
            return TooManyPieces("to", plan.Chunks.Count, settings);
        }

        // A range reaching past the last stored footage into the last moments may still grow: never cache it.
        var growing = r.To > plan.Chunks[^1].End && r.To > now - TimeSpan.FromSeconds(target * 2);
        var links = new Dictionary<Guid, string>();
        var text = low
            ? PlaylistWriter.Write(plan, chunk => LowRenditionApi.Link(r.CameraId, chunk, signer, settings), growing, byteRanges: false)
            : PlaylistWriter.Write(plan, chunk => MediaLink(r.CameraId, chunk.SegmentId, signer, settings, links), growing);
        PlaybackMetrics.PlaylistBuild.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (!growing)
        {
            // media links in a cached playlist must outlive the cache entry
            var lifetime = settings.PlaylistCacheFor < settings.MediaLinkLifetime / 2 ? settings.PlaylistCacheFor : settings.MediaLinkLifetime / 2;
            await cache.SetAsync(key, bytes, lifetime, ct);
        }

        return Serve(http, bytes, cacheable: !growing);
    }

    /// <summary>The signed link of a stored segment, relative to the playlist; one signature per segment and playlist.</summary>
    internal static string MediaLink(Guid cameraId, Guid segmentId, LinkSigner signer, PlaybackOptions settings, Dictionary<Guid, string> links)
    {
        if (!links.TryGetValue(segmentId, out var link))
        {
            var (url, _) = signer.Sign($"/api/v1/playback/{cameraId:D}/media/{segmentId:D}.ts", settings.MediaLinkLifetime);
            link = "media/" + url[(url.LastIndexOf('/') + 1)..];
            links[segmentId] = link;
        }

        return link;
    }

    /// <summary>Footage cut into more pieces than a playlist may list (many short files or gaps): a shorter range is needed.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem TooManyPieces(string field, int chunks, PlaybackOptions settings) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            [field] = [$"the footage of this range is in {chunks} chunks (short files or gaps), more than the {settings.MaxPlaylistChunks} a playlist may list: ask for a shorter range"],
        });

    private static Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult Serve(HttpContext http, byte[] playlist, bool cacheable)
    {
        http.Response.Headers.CacheControl = cacheable ? "private, max-age=60" : "no-cache";
        return TypedResults.Bytes(playlist, ContentType);
    }
}

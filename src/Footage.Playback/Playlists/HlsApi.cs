using System.Diagnostics;
using System.Globalization;
using System.Text;
using Footage.Core.Segments;
using Footage.Playback.Caching;
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
        endpoints.MapGet("/api/v1/playback/{camera_id}/hls", Playlist).RequireAuthorization(Roles.Viewer).WithTags("Playback");
        return endpoints;
    }

    private static async Task<IResult> Playlist(
        string camera_id, string? from, string? to, string? hls_time, HttpContext http,
        ISegmentCatalog catalog, IPlaybackCache cache, LinkSigner signer, IOptions<PlaybackOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var settings = options.Value;
        var errors = new ValidationErrors();
        var range = PlaybackRange.Parse(camera_id, from, to, settings.MaxRange, errors);
        var target = QueryValues.Int(hls_time, "hls_time", settings.HlsTimeSeconds, 1, 60, errors);
        if (range is not { } r)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        var generation = await cache.GenerationAsync(r.CameraId, ct);
        var key = string.Create(CultureInfo.InvariantCulture, $"playlist:{r.CameraId:N}:{generation}:{r.From.UtcTicks}:{r.To.UtcTicks}:{target}");
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

        // A range reaching past the last stored footage into the last moments may still grow: never cache it.
        var growing = r.To > plan.Chunks[^1].End && r.To > now - TimeSpan.FromSeconds(target * 2);
        var links = new Dictionary<Guid, string>();
        var text = PlaylistWriter.Write(plan, chunk =>
        {
            if (!links.TryGetValue(chunk.SegmentId, out var link))
            {
                var (url, _) = signer.Sign($"/api/v1/playback/{r.CameraId:D}/media/{chunk.SegmentId:D}.ts", settings.MediaLinkLifetime);
                link = "media/" + url[(url.LastIndexOf('/') + 1)..];
                links[chunk.SegmentId] = link;
            }

            return link;
        }, growing);
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

    private static Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult Serve(HttpContext http, byte[] playlist, bool cacheable)
    {
        http.Response.Headers.CacheControl = cacheable ? "private, max-age=60" : "no-cache";
        return TypedResults.Bytes(playlist, ContentType);
    }
}

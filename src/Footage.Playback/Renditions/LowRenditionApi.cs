using System.Globalization;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Ffmpeg;
using Footage.Playback.Caching;
using Footage.Playback.Playlists;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Footage.ServiceDefaults.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Renditions;

/// <summary>
/// <c>GET /api/v1/playback/{camera_id}/low/{segment_id}.ts?offset=&amp;length=</c>: one chunk of the lower rendition. ffmpeg
/// transcodes the original chunk's bytes (scaled to <c>LowHeight</c>, <c>LowBitrateKbps</c>, timestamps kept so chunks follow
/// each other as the original's do) on the first request, under the work limits (<see cref="WorkLimiter"/>); the result is
/// cached like an original chunk.
/// </summary>
public static class LowRenditionApi
{
    public static IEndpointRouteBuilder MapLowRenditionApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/playback/{camera_id}/low/{segment_id}.ts", Chunk)
            .RequireAuthorization(AuthenticationSetup.ViewerOrSignedLink).WithTags("Playback");
        return endpoints;
    }

    public static string Link(Guid cameraId, Chunk chunk, LinkSigner signer, PlaybackOptions settings)
    {
        var (url, _) = signer.Sign(
            string.Create(CultureInfo.InvariantCulture, $"/api/v1/playback/{cameraId:D}/low/{chunk.SegmentId:D}.ts?offset={chunk.Offset}&length={chunk.Length}"),
            settings.MediaLinkLifetime);
        return "low/" + url[(url.LastIndexOf('/') + 1)..];
    }

    private static async Task<IResult> Chunk(
        string camera_id, string segment_id, string? offset, string? length, ISegmentCatalog catalog, IStorageBackendRegistry backends,
        HttpContext http, IPlaybackCache cache, FfmpegRunner ffmpeg, WorkLimiter limiter, IOptions<PlaybackOptions> options, IOptions<AbrOptions> abr, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var cameraId = RouteValues.Id(camera_id, "camera_id", errors);
        var segmentId = RouteValues.Id(segment_id, "segment_id", errors);
        var from = long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : -1;
        var size = long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : -1;
        if (from < 0)
        {
            errors.Add("offset", "is required: a byte offset");
        }

        if (size <= 0 || size > options.Value.MaxCachedChunkBytes)
        {
            errors.Add("length", $"is required: a byte count up to {options.Value.MaxCachedChunkBytes}");
        }

        if (!abr.Value.Enabled)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "The low rendition is switched off (Footage:Playback:Abr:Enabled).");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segment = await catalog.GetAsync(segmentId!.Value, ct);
        if (segment is null || segment.CameraId != cameraId || from + size > segment.SizeBytes)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Camera {cameraId} has no segment {segmentId} with these bytes.");
        }

        if (!backends.TryGet(segment.StorageBackend, out var backend))
        {
            return TypedResults.Problem(statusCode: 503, title: "Backend unavailable", detail: $"Backend '{segment.StorageBackend}' is not enabled on this host.");
        }

        var settings = abr.Value;
        var key = string.Create(CultureInfo.InvariantCulture, $"low:{segment.Id:N}:{from}:{size}:{settings.LowHeight}:{settings.LowBitrateKbps}");
        var bytes = await cache.GetAsync(key, ct);
        PlaybackMetrics.CacheRequests.WithLabels("low_chunk", bytes is null ? "miss" : "hit").Inc();
        if (bytes is null)
        {
            // a transcode is a costly job: within the server's and the caller's limits, else 429 with Retry-After
            using var lease = limiter.Start(http, "low rendition", 0);
            await using var read = await backend.OpenReadAsync(segment.StorageBucket, segment.StoragePath, new ByteRange(from, from + size - 1), ct)
                ?? throw new FileNotFoundException($"Segment {segment.Id} is catalogued but its object is missing.");
            using var output = new MemoryStream();
            var kbps = settings.LowBitrateKbps.ToString(CultureInfo.InvariantCulture);
            await ffmpeg.RunFfmpegToStreamAsync(
                ["-loglevel", "error", "-copyts", "-f", "mpegts", "-i", "pipe:0", "-map", "0:v:0", "-map", "0:a?",
                 "-vf", $"scale=-2:{settings.LowHeight.ToString(CultureInfo.InvariantCulture)}", "-c:v", "libx264", "-preset", "veryfast",
                 "-b:v", kbps + "k", "-maxrate", kbps + "k", "-bufsize", (settings.LowBitrateKbps * 2).ToString(CultureInfo.InvariantCulture) + "k",
                 "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-muxdelay", "0", "-f", "mpegts", "pipe:1"],
                output, ct, read.Content);
            bytes = output.ToArray();
            await cache.SetAsync(key, bytes, options.Value.ChunkCacheFor, ct);
        }

        return TypedResults.Bytes(bytes, "video/mp2t");
    }
}

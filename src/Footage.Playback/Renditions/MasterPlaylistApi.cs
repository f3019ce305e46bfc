using System.Globalization;
using System.Text;
using Footage.Core.Segments;
using Footage.Playback.Playlists;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Renditions;

/// <summary>
/// <c>GET /api/v1/playback/{camera_id}/master.m3u8?from=&amp;to=</c>: an HLS master playlist with the original rendition (the
/// media playlist of the same range, byte ranges of the stored objects) and, when <c>Footage:Playback:Abr:Enabled</c>, a lower
/// rendition whose chunks ffmpeg transcodes on demand from the original chunks (cached like them).
/// </summary>
public static class MasterPlaylistApi
{
    public static IEndpointRouteBuilder MapMasterPlaylistApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/playback/{camera_id}/master.m3u8", Master).RequireAuthorization(Roles.Viewer).WithTags("Playback");
        return endpoints;
    }

    private static async Task<IResult> Master(
        string camera_id, string? from, string? to, HttpContext http, ISegmentCatalog catalog, IOptions<PlaybackOptions> options,
        IOptions<AbrOptions> abr, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var range = PlaybackRange.Parse(camera_id, from, to, options.Value.MaxRange, errors, clock.GetUtcNow());
        if (range is not { } r || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await catalog.ListAsync(new SegmentQuery(r.CameraId, r.From, r.Live ? r.To.AddMinutes(1) : r.To, null, 100, false), ct);
        if (page.Items.Count == 0)
        {
            return TypedResults.Problem(statusCode: 404, title: "No footage", detail: $"Camera {r.CameraId} has no recorded footage between {r.From:O} and {r.To:O}.");
        }

        // the original's bandwidth: the peak bitrate of the stored files of the range (what a player must sustain)
        var bandwidth = page.Items.Max(s => s.SizeBytes * 8 / Math.Max(1, (s.EndTime - s.StartTime).TotalSeconds));
        var query = "from=" + Uri.EscapeDataString(http.Request.Query["from"].ToString()) +
                    (r.Live ? string.Empty : "&to=" + Uri.EscapeDataString(http.Request.Query["to"].ToString()));
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={(long)Math.Ceiling(bandwidth)},NAME=\"original\"\nhls?{query}\n");
        if (abr.Value.Enabled && !r.Live)
        {
            var low = (long)abr.Value.LowBitrateKbps * 1000 * 11 / 10; // the container's overhead on top of the video bitrate
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={low},NAME=\"low\"\nhls?{query}&rendition=low\n");
        }

        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(Encoding.UTF8.GetBytes(text.ToString()), HlsApi.ContentType);
    }
}

using System.Globalization;
using System.Text;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Playback.Live;
using Footage.Playback.Media;
using Footage.Playback.Playlists;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Renditions;

/// <summary>
/// <c>GET /api/v1/playback/{camera_id}/master.m3u8?from=[&amp;to=]</c>: an HLS master playlist of the same range (or the live edge)
/// with the <c>CODECS</c> of each rendition, so that a player picks one it can decode: the original (byte ranges of the recorded
/// files), an H.264 rendition transcoded on demand when the camera records another codec (H.265, which many browsers cannot
/// decode), and the lower adaptive-bitrate rendition when <c>Footage:Playback:Abr:Enabled</c>.
/// </summary>
public static class MasterPlaylistApi
{
    /// <summary>What the transcoded renditions are (libx264's High profile; AAC when the camera has sound).</summary>
    private const string H264Codec = "avc1.640028";

    public static IEndpointRouteBuilder MapMasterPlaylistApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/playback/{camera_id}/master.m3u8", Master).RequireAuthorization(Roles.Viewer).WithTags("Playback");
        return endpoints;
    }

    private static async Task<IResult> Master(
        string camera_id, string? from, string? to, HttpContext http, ISegmentCatalog catalog, MediaFiles files, LiveSegmentSnapshots live,
        IMemoryCache memory, IOptions<PlaybackOptions> options, IOptions<AbrOptions> abr, IOptions<TranscodeOptions> transcode, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var now = clock.GetUtcNow();
        var liveWindow = string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to);
        var range = PlaybackRange.Parse(camera_id, liveWindow ? (now - options.Value.LiveWindow).ToString("O", CultureInfo.InvariantCulture) : from, to,
            options.Value.MaxRange, errors, now);
        if (range is not { } r || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // the newest recorded file of the range tells the codec and the bitrate
        var page = await catalog.ListAsync(new SegmentQuery(r.CameraId, r.Live ? now.AddMinutes(-10) : r.From, r.Live ? now.AddMinutes(1) : r.To, null, 100, false), ct);
        var newest = page.Items.MaxBy(s => s.StartTime);
        var spooled = r.Live && await live.ListAsync(r.CameraId, ct) is { Count: > 0 } recorder ? recorder[^1] : null;
        if (newest is null && spooled is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No footage", detail: $"Camera {r.CameraId} has no recorded footage between {r.From:O} and {r.To:O}.");
        }

        var name = spooled is not null ? MediaName.Of(spooled.StartTime, LiveFootage.Backend) : MediaName.Of(newest!.StartTime, newest.StorageBackend);
        var codecs = await memory.GetOrCreateAsync($"codecs:{r.CameraId:N}:{name}", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
            return await ProbeAsync(files, r.CameraId, name, ct);
        });
        var bandwidth = page.Items.Count > 0
            ? (long)Math.Ceiling(page.Items.Max(s => s.SizeBytes * 8 / Math.Max(1, (s.EndTime - s.StartTime).TotalSeconds)))
            : spooled is { } file && file.EndTime > file.StartTime ? (long)(file.SizeBytes * 8 / (file.EndTime - file.StartTime).TotalSeconds) : 2_000_000;
        var query = http.Request.QueryString.Value is { Length: > 1 } q ? q[1..] + "&" : string.Empty;
        var audio = codecs?.Aac == true ? ",mp4a.40.2" : string.Empty;
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={Math.Max(1, bandwidth)}");
        text.Append(codecs is null ? string.Empty : $",CODECS=\"{codecs}\"").Append(",NAME=\"original\"\n");
        text.Append("hls").Append(query.Length > 0 ? "?" + query.TrimEnd('&') : string.Empty).Append('\n');
        if (transcode.Value.Enabled && codecs is { Hevc: true })
        {
            var kbps = (long)transcode.Value.BitrateKbps * 1100;
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={kbps},CODECS=\"{H264Codec}{audio}\",NAME=\"{TranscodedRendition.H264}\"\n");
            text.Append(CultureInfo.InvariantCulture, $"hls?{query}rendition={TranscodedRendition.H264}\n");
        }

        if (abr.Value.Enabled)
        {
            var low = (long)abr.Value.LowBitrateKbps * 1100; // the container's overhead on top of the video bitrate
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={low},CODECS=\"{H264Codec}{audio}\",NAME=\"{TranscodedRendition.Low}\"\n");
            text.Append(CultureInfo.InvariantCulture, $"hls?{query}rendition={TranscodedRendition.Low}\n");
        }

        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(Encoding.UTF8.GetBytes(text.ToString()), HlsApi.ContentType);
    }

    private static async Task<CodecProbe.Codecs?> ProbeAsync(MediaFiles files, Guid cameraId, MediaName name, CancellationToken ct)
    {
        if (await files.FindAsync(cameraId, name, ct) is not { } found)
        {
            return null;
        }

        var size = found switch { MediaFiles.Stored stored => stored.Segment.SizeBytes, MediaFiles.Spooled spooled => spooled.Available, _ => 0 };
        if (size <= 0)
        {
            return null;
        }

        await using var read = await files.OpenAsync(found, new ByteRange(0, Math.Min(size, 256 * 1024) - 1), ct);
        if (read is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await read.CopyToAsync(buffer, ct);
        return CodecProbe.Probe(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}

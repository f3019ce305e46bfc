using System.Globalization;
using Footage.Core.Storage;
using Footage.Ffmpeg;
using Footage.Playback.Caching;
using Footage.Playback.Media;
using Footage.ServiceDefaults.Work;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Renditions;

/// <summary>
/// The one place Playback transcodes: one chunk of a recorded file (whole groups of pictures) through ffmpeg into H.264 and AAC in
/// MPEG-TS, timestamps kept so that chunks follow each other as the original's do; on the first request, then from the cache.
/// <see cref="Low"/> is the adaptive-bitrate rendition (<c>Abr:LowHeight</c>, <c>Abr:LowBitrateKbps</c>); <see cref="H264"/> the one
/// for players that cannot decode the camera's codec (<c>Transcode:MaxHeight</c>, <c>Transcode:BitrateKbps</c>). A transcode is
/// a costly job, under the work limits (<see cref="WorkLimiter"/>).
/// </summary>
public sealed class TranscodedRendition(
    MediaFiles files, IPlaybackCache cache, FfmpegRunner ffmpeg, WorkLimiter limiter, IOptions<PlaybackOptions> options, IOptions<AbrOptions> abr,
    IOptions<TranscodeOptions> transcode)
{
    public const string Low = "low";
    public const string H264 = "h264";

    public bool IsOffered(string rendition) => rendition switch
    {
        Low => abr.Value.Enabled,
        H264 => transcode.Value.Enabled,
        _ => false,
    };

    public async Task<IResult> ServeAsync(HttpContext http, MediaFiles.Found found, long offset, long length, string rendition, CancellationToken ct)
    {
        if (!IsOffered(rendition))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"The '{rendition}' rendition is switched off.");
        }

        var (id, size) = found switch
        {
            MediaFiles.Stored stored => (stored.Segment.Id.ToString("N"), stored.Segment.SizeBytes),
            MediaFiles.Spooled spooled => ($"{spooled.CameraId:N}-{spooled.File.File}", spooled.Available),
            _ => (string.Empty, 0L),
        };
        if (length > options.Value.MaxCachedChunkBytes || !MediaFiles.IsWholeGroups(found, offset, length))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "The file has no such chunk (a chunk runs from key frame to key frame).");
        }

        var (height, kbps) = rendition == Low ? (abr.Value.LowHeight, abr.Value.LowBitrateKbps) : (transcode.Value.MaxHeight, transcode.Value.BitrateKbps);
        var key = string.Create(CultureInfo.InvariantCulture, $"{rendition}:{id}:{offset}:{length}:{height}:{kbps}");
        var bytes = await cache.GetAsync(key, ct);
        PlaybackMetrics.CacheRequests.WithLabels(rendition + "_chunk", bytes is null ? "miss" : "hit").Inc();
        if (bytes is null)
        {
            // a transcode is a costly job: within the server's and the caller's limits, else 429 with Retry-After
            using var lease = limiter.Start(http, rendition == Low ? "low rendition" : "h264 rendition", 0);
            await using var read = await files.OpenAsync(found, new ByteRange(offset, offset + length - 1), ct);
            if (read is null)
            {
                return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "The file is gone (uploaded meanwhile): reload the playlist.");
            }

            using var output = new MemoryStream();
            // a low rendition is scaled to its height; the H.264 one only when the camera's picture is taller
            var scale = rendition == Low ? $"scale=-2:{height}" : $"scale=-2:'min(ih,{height})'";
            var rate = kbps.ToString(CultureInfo.InvariantCulture);
            await ffmpeg.RunFfmpegToStreamAsync(
                ["-loglevel", "error", "-copyts", "-f", "mpegts", "-i", "pipe:0", "-map", "0:v:0", "-map", "0:a?",
                 "-vf", scale, "-c:v", "libx264", "-preset", "veryfast", "-b:v", rate + "k", "-maxrate", rate + "k",
                 "-bufsize", (kbps * 2).ToString(CultureInfo.InvariantCulture) + "k", "-pix_fmt", "yuv420p",
                 "-c:a", "aac", "-b:a", "64k", "-muxdelay", "0", "-f", "mpegts", "pipe:1"],
                output, ct, read);
            bytes = output.ToArray();
            await cache.SetAsync(key, bytes, options.Value.ChunkCacheFor, ct);
        }

        return TypedResults.Bytes(bytes, "video/mp2t");
    }
}

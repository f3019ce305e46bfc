using System.Globalization;
using System.Text.Json;
using Footage.Core.Cameras;
using Footage.Ffmpeg;
using Footage.Recording.Processes;

namespace Footage.Recording.Sources;

/// <summary>
/// Asks the camera what it sends before ffmpeg records it (one short RTSP session of ffprobe, with the recorder's transport and
/// protocol whitelist): the copy cannot be told to convert only some audio codecs, nor to mind B-frames only when there are some.
/// A camera that cannot be asked (refused, silent, wrong password, no such stream) fails the probe with the reason in words
/// (<see cref="CameraProbeException"/>), after at most <see cref="SocketTimeout"/> of silence.
/// </summary>
public sealed class CameraStreamProbe(FfmpegRunner ffmpeg, TimeProvider clock)
{
    /// <summary>How long ffprobe waits for any answer of the camera on its socket (ffmpeg's recording waits as long).</summary>
    public static readonly TimeSpan SocketTimeout = TimeSpan.FromSeconds(5);

    public async Task<CameraStreams> ProbeAsync(string rtspUrl, RtspTransport transport, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var started = clock.GetTimestamp();
        string json;
        try
        {
            json = await ffmpeg.RunFfprobeAsync(
            [
                "-v", "error", "-rtsp_transport", CameraStreamSettings.ToWire(transport),
                "-timeout", ((long)SocketTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture),
                "-protocol_whitelist", RecorderArguments.ProtocolWhitelistFor(transport),
                // the SDP and the first frames name every codec: a short look, as each (re)start waits for it
                "-analyzeduration", "1500000", "-probesize", "1000000",
                "-show_entries", "stream=codec_type,codec_name,has_b_frames", "-of", "json", rtspUrl,
            ], limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CameraProbeException($"the camera did not describe its streams within {timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
        }
        catch (FfmpegException e)
        {
            throw new CameraProbeException(Explain(e.StderrTail, clock.GetElapsedTime(started)), e);
        }

        return Parse(json);
    }

    /// <summary>What ffprobe's error means for the operator of the camera.</summary>
    public static string Explain(string stderr, TimeSpan elapsed)
    {
        var seconds = SocketTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        string? reason =
            stderr.Contains("Connection refused", StringComparison.OrdinalIgnoreCase) ? "the camera refused the connection (nothing listens at its RTSP address and port)"
            : stderr.Contains("401 Unauthorized", StringComparison.OrdinalIgnoreCase) ? "the camera refused its user name or password (RTSP 401 Unauthorized)"
            : stderr.Contains("403 Forbidden", StringComparison.OrdinalIgnoreCase) ? "the camera refused access to the stream (RTSP 403 Forbidden)"
            : stderr.Contains("404 Not Found", StringComparison.OrdinalIgnoreCase) ? "the camera has no stream at this URL's path (RTSP 404 Not Found)"
            : stderr.Contains("461", StringComparison.Ordinal) || stderr.Contains("Unsupported transport", StringComparison.OrdinalIgnoreCase)
                ? "the camera does not offer the RTP transport set for it (its rtsp_transport setting: try the other one)"
            : stderr.Contains("timed out", StringComparison.OrdinalIgnoreCase) || elapsed >= SocketTimeout
                ? $"the camera accepted the connection but did not answer RTSP within {seconds} s"
            : null;
        var detail = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
        return reason is null ? $"the camera did not describe its streams: {detail}" : $"{reason} (ffprobe: {detail})";
    }

    public static CameraStreams Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        string? video = null;
        var bFrames = false;
        var audio = new List<string>();
        if (document.RootElement.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                var type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
                var codec = stream.TryGetProperty("codec_name", out var n) ? n.GetString() ?? "unknown" : "unknown";
                if (type == "video" && video is null)
                {
                    video = codec;
                    bFrames = stream.TryGetProperty("has_b_frames", out var b) && b.ValueKind == JsonValueKind.Number && b.GetInt32() > 0;
                }
                else if (type == "audio")
                {
                    audio.Add(codec);
                }
            }
        }

        return new CameraStreams(video, bFrames, audio);
    }
}

using System.Globalization;
using System.Text.Json;
using Footage.Core.Cameras;
using Footage.Ffmpeg;
using Footage.Recording.Processes;

namespace Footage.Recording.Sources;

/// <summary>
/// Asks the camera what it sends before ffmpeg records it (one short RTSP session of ffprobe, with the recorder's transport and
/// protocol whitelist): the copy cannot be told to convert only some audio codecs, nor to mind B-frames only when there are some.
/// </summary>
public sealed class CameraStreamProbe(FfmpegRunner ffmpeg)
{
    public async Task<CameraStreams> ProbeAsync(string rtspUrl, RtspTransport transport, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        string json;
        try
        {
            json = await ffmpeg.RunFfprobeAsync(
            [
                "-v", "error", "-rtsp_transport", CameraStreamSettings.ToWire(transport), "-timeout", "5000000",
                "-protocol_whitelist", RecorderArguments.ProtocolWhitelistFor(transport),
                // the SDP and the first frames name every codec: a short look, as each (re)start waits for it
                "-analyzeduration", "1500000", "-probesize", "1000000",
                "-show_entries", "stream=codec_type,codec_name,has_b_frames", "-of", "json", rtspUrl,
            ], limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the camera did not describe its streams within {timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
        }

        return Parse(json);
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

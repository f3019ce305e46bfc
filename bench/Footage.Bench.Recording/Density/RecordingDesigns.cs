using System.Diagnostics;
using System.Globalization;

namespace Footage.Bench.Recording.Density;

/// <summary>
/// The ways of recording N cameras that the density bench compares, each started on the same camera URLs: the spec's
/// ffmpeg command one per camera, one ffmpeg for all N (N inputs, N segment outputs), and GStreamer's
/// rtspsrc ! rtph264depay ! h264parse ! splitmuxsink(mpegtsmux) one per camera and one for all N.
/// </summary>
public static class RecordingDesigns
{
    public const string Bare = "ffmpeg_per_camera";

    /// <summary>The spec's command, one process per camera.</summary>
    public static DesignRun SpecCommandPerCamera(IReadOnlyList<string> urls, string folder, int segmentSeconds)
    {
        var folders = CameraFolders(folder, urls.Count);
        var processes = urls.Select((url, i) => SpecCommand.Start(url, folders[i], segmentSeconds)).ToArray();
        return DesignRun.OfProcesses(Bare, "bare ffmpeg, spec's command, 1 per camera", processes, folders);
    }

    /// <summary>One ffmpeg with every camera as an input and a segment output of its own for each (the spec's options per camera).</summary>
    public static DesignRun FfmpegForAll(IReadOnlyList<string> urls, string folder, int segmentSeconds)
    {
        var folders = CameraFolders(folder, urls.Count);
        var arguments = new List<string> { "-hide_banner", "-loglevel", "error" };
        foreach (var url in urls)
        {
            arguments.AddRange(["-rtsp_transport", "tcp", "-i", url]);
        }

        for (var i = 0; i < urls.Count; i++)
        {
            var input = i.ToString(CultureInfo.InvariantCulture);
            arguments.AddRange(["-map", $"{input}:v", "-map", $"{input}:a?", "-c:v", "copy", "-c:a", "copy", "-f", "segment",
                "-segment_time", segmentSeconds.ToString(CultureInfo.InvariantCulture), "-segment_format", "mpegts", "-reset_timestamps", "1",
                Path.Combine(folders[i], "%05d.ts")]);
        }

        return DesignRun.OfProcesses("ffmpeg_for_all", $"1 ffmpeg, {urls.Count} inputs and outputs", [SpecCommand.Started("ffmpeg", arguments)], folders);
    }

    public static DesignRun GStreamerPerCamera(IReadOnlyList<string> urls, string folder, int segmentSeconds)
    {
        var folders = CameraFolders(folder, urls.Count);
        var processes = urls.Select((url, i) => SpecCommand.Started("gst-launch-1.0", ["-q", .. Branch(url, folders[i], segmentSeconds)])).ToArray();
        return DesignRun.OfProcesses("gstreamer_per_camera", "GStreamer, 1 gst-launch per camera", processes, folders);
    }

    public static DesignRun GStreamerForAll(IReadOnlyList<string> urls, string folder, int segmentSeconds)
    {
        var folders = CameraFolders(folder, urls.Count);
        var arguments = new List<string> { "-q" };
        for (var i = 0; i < urls.Count; i++)
        {
            arguments.AddRange(Branch(urls[i], folders[i], segmentSeconds));
        }

        return DesignRun.OfProcesses("gstreamer_for_all", $"GStreamer, 1 gst-launch for {urls.Count} cameras", [SpecCommand.Started("gst-launch-1.0", arguments)], folders);
    }

    /// <summary>
    /// One camera's chain: RTSP over TCP with a 200 ms jitter buffer (TCP does not reorder; the default 2 s would hold 2 s of
    /// packets per camera), the H.264 depayloaded and parsed, cut at the first key frame after each segment length.
    /// </summary>
    private static string[] Branch(string url, string folder, int segmentSeconds) =>
    [
        "rtspsrc", $"location={url}", "protocols=tcp", "latency=200", "!", "rtph264depay", "!", "h264parse", "!",
        "splitmuxsink", "muxer-factory=mpegtsmux", $"location={Path.Combine(folder, "%05d.ts")}",
        $"max-size-time={segmentSeconds * 1_000_000_000L}",
    ];

    private static string[] CameraFolders(string folder, int cameras) =>
        Enumerable.Range(1, cameras).Select(i =>
        {
            var path = Path.Combine(folder, i.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(path);
            return path;
        }).ToArray();
}

using System.Diagnostics;
using System.Globalization;
using Footage.Testing;

namespace Footage.Bench.Recording.Density;

/// <summary>
/// The ways of recording N cameras that the density bench compares, each started on the same camera URLs: the spec's
/// ffmpeg command one per camera, one ffmpeg for all N (N inputs, N segment outputs), and GStreamer's
/// rtspsrc ! rtph264depay ! h264parse ! splitmuxsink(mpegtsmux) one per camera and one for all N, and a minimal recorder
/// linking only libavformat (remuxer.c) one process per camera, started apart or forked from one parent.
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

    /// <summary>The bench's minimal recorder (remuxer.c: libavformat only), one process per camera.</summary>
    public static DesignRun RemuxerPerCamera(string remuxer, IReadOnlyList<string> urls, string folder, int segmentSeconds)
    {
        var folders = CameraFolders(folder, urls.Count);
        var seconds = segmentSeconds.ToString(CultureInfo.InvariantCulture);
        var processes = urls.Select((url, i) => SpecCommand.Started(remuxer, [seconds, folders[i], url])).ToArray();
        return DesignRun.OfProcesses("remuxer_per_camera", "libavformat remuxer, 1 process per camera", processes, folders);
    }

    /// <summary>The same remuxer loading the libraries once and forking a process per camera, which shares the relocated pages.</summary>
    public static DesignRun RemuxerForked(string remuxer, IReadOnlyList<string> urls, string folder, int segmentSeconds)
    {
        var folders = CameraFolders(folder, urls.Count);
        var arguments = new List<string> { segmentSeconds.ToString(CultureInfo.InvariantCulture) };
        for (var i = 0; i < urls.Count; i++)
        {
            arguments.AddRange([folders[i], urls[i]]);
        }

        var parent = SpecCommand.Started(remuxer, arguments, new Dictionary<string, string> { ["LD_BIND_NOW"] = "1" });
        return DesignRun.OfProcesses("remuxer_forked", "libavformat remuxer, 1 process per camera forked from 1 parent", [parent], folders, withChildren: true);
    }

    /// <summary>Builds remuxer.c with the OS's C compiler against libavformat; null (and says why) when it cannot.</summary>
    public static async Task<string?> BuildRemuxerAsync(string folder)
    {
        var source = Path.Combine(RepositoryPaths.Root, "bench", "Footage.Bench.Recording", "Density", "remuxer.c");
        var binary = Path.Combine(folder, "remuxer");
        var build = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardError = true };
        build.ArgumentList.Add("-c");
        build.ArgumentList.Add($"cc -O2 -Wall -Wextra -Werror -o '{binary}' '{source}' $(pkg-config --cflags --libs libavformat libavcodec libavutil)");
        using var process = Process.Start(build)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode == 0)
        {
            return binary;
        }

        Console.WriteLine($"remuxer.c did not build (it needs cc, pkg-config and libavformat-dev: apt-get install gcc pkg-config libavformat-dev); its two designs are left out:\n{errors}");
        return null;
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

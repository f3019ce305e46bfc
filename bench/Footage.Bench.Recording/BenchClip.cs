using System.Diagnostics;
using System.Globalization;

namespace Footage.Bench.Recording;

/// <summary>The cameras' footage: 1280x720 25 fps H.264 at 2 Mbit/s, a key frame every second, long enough to outlast a run.</summary>
public static class BenchClip
{
    /// <summary>Encodes a minute once and loops it (copied) into a file that the simulator plays once in real time.</summary>
    public static async Task<string> CreateAsync(string folder, TimeSpan atLeast)
    {
        var clip = Path.Combine(folder, "clip720.ts");
        var loop = Path.Combine(folder, "loop720.ts");
        await RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-t", "60",
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2M", "-maxrate", "2M", "-bufsize", "2M", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
            "-pix_fmt", "yuv420p", "-f", "mpegts", loop]);
        var loops = (int)Math.Ceiling(atLeast.TotalSeconds / 60) + 1;
        await RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-stream_loop", loops.ToString(CultureInfo.InvariantCulture), "-i", loop, "-c", "copy", "-f", "mpegts", clip]);
        return clip;
    }

    public static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}");
        }
    }
}

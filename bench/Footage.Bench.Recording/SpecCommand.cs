using System.Diagnostics;
using System.Globalization;

namespace Footage.Bench.Recording;

/// <summary>The spec's recording command, bare: one ffmpeg per camera copying its stream into segments.</summary>
public static class SpecCommand
{
    public static Process Start(string url, string folder, int segmentSeconds)
    {
        Directory.CreateDirectory(folder);
        return Started("ffmpeg",
        [
            "-hide_banner", "-loglevel", "warning", "-rtsp_transport", "tcp", "-i", url, "-c:v", "copy", "-c:a", "copy",
            "-f", "segment", "-segment_time", segmentSeconds.ToString(CultureInfo.InvariantCulture), "-segment_format", "mpegts",
            "-reset_timestamps", "1", Path.Combine(folder, "%05d.ts"),
        ]);
    }

    /// <summary>Starts a process whose output is read and dropped, so that it never blocks on a full pipe.</summary>
    public static Process Started(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

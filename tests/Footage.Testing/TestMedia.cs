using CliWrap;
using CliWrap.Buffered;

namespace Footage.Testing;

/// <summary>Real H.264 (or H.265) footage made by ffmpeg for the tests: small, with a key frame every second.</summary>
public static class TestMedia
{
    /// <summary>Writes an MPEG-TS file of <paramref name="seconds"/> seconds of 320x180 25 fps H.264 (key frame every 25 frames).</summary>
    /// <param name="hevc">H.265 (libx265) instead of H.264, as a camera many browsers cannot decode records.</param>
    public static async Task<string> MakeTsAsync(string path, double seconds, string pattern = "testsrc2", bool hevc = false)
    {
        string[] codec = hevc
            ? ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "keyint=25:min-keyint=25:scenecut=0:log-level=error", "-pix_fmt", "yuv420p"]
            : ["-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p"];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(
            [
                "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-f", "lavfi", "-i", $"{pattern}=size=320x180:rate=25",
                "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. codec,
                "-f", "mpegts", path,
            ])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not make test media: " + result.StandardError);
        }

        return path;
    }

    /// <summary>The duration of a media file as ffprobe reads it, in seconds.</summary>
    public static async Task<double> ProbeDurationAsync(string path)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", path])
            .ExecuteBufferedAsync();
        return double.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Decodes the whole file and returns ffmpeg's error lines (empty when it decodes cleanly).</summary>
    public static async Task<string> DecodeErrorsAsync(string path)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return (result.StandardError + (result.ExitCode != 0 ? $" (exit {result.ExitCode})" : string.Empty)).Trim();
    }

    /// <summary>
    /// The key-frame index of a TS file as [milliseconds from the first frame, byte offset of the PAT that
    /// precedes the key frame], read with ffprobe and a scan for PAT packets: an independent check of the
    /// product's own scanner, and the index tests register with their segments.
    /// </summary>
    public static async Task<long[][]> KeyframesAsync(string path)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,pos,flags", "-of", "csv=p=0", path])
            .ExecuteBufferedAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        var pats = new List<long>();
        for (long offset = 0; offset + 188 <= bytes.Length; offset += 188)
        {
            var pid = ((bytes[offset + 1] & 0x1F) << 8) | bytes[offset + 2];
            if (bytes[offset] == 0x47 && pid == 0)
            {
                pats.Add(offset);
            }
        }

        var entries = new List<long[]>();
        double? first = null;
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(',');
            var pts = double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            first ??= pts;
            if (!parts[2].Contains('K', StringComparison.Ordinal))
            {
                continue;
            }

            var pos = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            var pat = pats.LastOrDefault(p => p <= pos);
            entries.Add([(long)Math.Round((pts - first.Value) * 1000), pat]);
        }

        return entries.ToArray();
    }

    /// <summary>The MD5 of every video packet's data, in order (ffmpeg's framemd5 with stream copy), without timestamps or side data.</summary>
    public static async Task<string[]> PacketHashesAsync(string input, params string[] inputOptions)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-v", "error", .. inputOptions, "-i", input, "-map", "0:v", "-c", "copy", "-f", "framemd5", "-"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg framemd5 failed: " + result.StandardError);
        }

        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(',')[5].Trim()) // stream, dts, pts, duration, size, hash[, side data...]
            .ToArray();
    }
}

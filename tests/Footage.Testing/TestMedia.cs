using CliWrap;
using CliWrap.Buffered;

namespace Footage.Testing;

/// <summary>Real H.264 footage made by ffmpeg for the tests: small, with a key frame every second.</summary>
public static class TestMedia
{
    /// <summary>Writes an MPEG-TS file of <paramref name="seconds"/> seconds of 320x180 25 fps H.264 (key frame every 25 frames).</summary>
    public static async Task<string> MakeTsAsync(string path, double seconds, string pattern = "testsrc2")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(
            [
                "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-f", "lavfi", "-i", $"{pattern}=size=320x180:rate=25",
                "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
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
}

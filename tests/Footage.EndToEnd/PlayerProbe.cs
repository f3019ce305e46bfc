using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace Footage.EndToEnd;

/// <summary>What a player sees: ffmpeg and ffprobe reading a file or an HLS playlist over HTTP (with the API key header).</summary>
public static class PlayerProbe
{
    private static readonly string[] Http = ["-protocol_whitelist", "http,tcp,file,crypto"];

    /// <summary>The input options that send the API key with the playlist request (media links are signed and need none).</summary>
    public static string[] WithApiKey(string apiKey) => ["-headers", $"X-Api-Key: {apiKey}\r\n", .. Http];

    /// <summary>
    /// Everything ffmpeg reports while decoding the whole input, and its exit code when not 0; empty when clean.
    /// The frames keep their own timestamps (<c>-fps_mode vfr</c>): the null output's default constant rate
    /// rounds them to 1/25 s, and recorded files start with two frames 1/90000 s apart (as ffmpeg's segment
    /// muxer copies them from the RTSP camera), which that rounding reports as an error of the output, not of decoding.
    /// </summary>
    public static async Task<string> DecodeErrorsAsync(string input, params string[] inputOptions)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-v", "error", .. inputOptions, "-i", input, "-fps_mode", "vfr", "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return (result.StandardError + (result.ExitCode != 0 ? $" (exit {result.ExitCode})" : string.Empty)).Trim();
    }

    /// <summary>The presentation times (seconds) of the first <paramref name="count"/> decoded video frames.</summary>
    public static async Task<double[]> FrameTimesAsync(string input, int count, params string[] inputOptions)
    {
        var lines = await ProbeAsync([.. inputOptions, "-read_intervals", $"%+#{count}", "-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0", input]);
        return lines.Select(l => double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The video packets of a file in stored order: presentation time (seconds) and whether it is a key frame.</summary>
    public static async Task<(double Pts, bool Key)[]> PacketsAsync(string input)
    {
        var lines = await ProbeAsync(["-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", input]);
        return lines.Select(l => l.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), p[1].Contains('K', StringComparison.Ordinal)))
            .ToArray();
    }

    private static async Task<string[]> ProbeAsync(string[] arguments)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-hide_banner", "-v", "error", .. arguments])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffprobe failed ({result.ExitCode}): {result.StandardError}");
        }

        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Length > 0 && !l.StartsWith("N/A", StringComparison.Ordinal))
            .ToArray();
    }
}

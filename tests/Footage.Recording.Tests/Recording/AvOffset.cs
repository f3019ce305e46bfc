using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// The A/V offset of footage from the simulator's sound cameras, whose picture draws their sound (a beep every second): where each
/// beep starts in the sound (the end of a silence, ffmpeg's silencedetect) and in the picture (the first frame whose mean
/// brightness rises above the flat line's, signalstats), on the input's own timestamps. Positive: the picture is late.
/// </summary>
public static partial class AvOffset
{
    /// <summary>The median over the beeps of picture onset minus sound onset (seconds), and how many beeps were paired.</summary>
    public static Task<(double Seconds, int Beeps)> MeasureAsync(string input, params string[] inputOptions) => MeasureAsync(input, 0, inputOptions);

    /// <summary>
    /// The same, counting only the beeps that start <paramref name="skipSeconds"/> or more after the input's first sound: a camera
    /// read directly puts its sound and picture on one clock only once the first RTCP sender report of each has come (seconds in).
    /// </summary>
    public static async Task<(double Seconds, int Beeps)> MeasureAsync(string input, double skipSeconds, params string[] inputOptions)
    {
        var metadata = Path.GetTempFileName();
        try
        {
            var result = await Cli.Wrap("ffmpeg")
                .WithArguments(
                [
                    "-hide_banner", "-nostdin", "-nostats", .. inputOptions, "-copyts", "-i", input,
                    "-filter_complex", $"[0:v]signalstats,metadata=print:key=lavfi.signalstats.YAVG:file={metadata}[v];[0:a]silencedetect=n=-30dB:d=0.1,asetpts=N/SR/TB[a]",
                    // measured before the null output, which need not see the times (an HLS range may hold a file's neighbour)
                    "-map", "[v]", "-map", "[a]", "-fps_mode", "vfr", "-f", "null", "-",
                ])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync();
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg could not measure the A/V offset of {input}: {result.StandardError}");
            }

            var sound = SilenceEnd().Matches(result.StandardError).Select(m => Number(m.Groups[1].Value)).ToArray();
            var frames = FrameBrightness().Matches(await File.ReadAllTextAsync(metadata))
                .Select(m => (Time: Number(m.Groups[1].Value), Brightness: Number(m.Groups[2].Value))).ToArray();
            var flat = frames.Min(f => f.Brightness);
            var picture = frames.Where((f, i) => i > 0 && f.Brightness > flat + 10 && frames[i - 1].Brightness <= flat + 10).Select(f => f.Time).ToArray();
            // the first beep may be cut by the start of the input: only beeps that start after a whole silence count
            var offsets = sound.Skip(1).Where(s => s >= sound.Min() + skipSeconds)
                .Select(s => picture.Where(p => Math.Abs(p - s) < 0.4).Select(p => (double?)(p - s)).FirstOrDefault())
                .OfType<double>().Order().ToArray();
            if (offsets.Length == 0)
            {
                throw new InvalidOperationException(
                    $"no beep seen in both sound (onsets {string.Join(' ', sound.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}) " +
                    $"and picture (onsets {string.Join(' ', picture.Select(p => p.ToString("0.000", CultureInfo.InvariantCulture)))}, frames {frames.Length} from {frames.FirstOrDefault().Time:0.000} s) of {input}");
            }

            return (offsets[offsets.Length / 2], offsets.Length);
        }
        finally
        {
            File.Delete(metadata);
        }
    }

    /// <summary>ffprobe's start_time of the first video and the first audio stream: where each begins, not whether they are in sync.</summary>
    public static async Task<double> StartDifferenceAsync(string input, params string[] inputOptions)
    {
        var (video, audio) = await PlayedBack.StartTimesAsync(input, inputOptions);
        return (video ?? double.NaN) - (audio ?? double.NaN);
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"silence_end: (-?[0-9.]+)")]
    private static partial Regex SilenceEnd();

    [GeneratedRegex(@"pts_time:(-?[0-9.]+)\s+lavfi\.signalstats\.YAVG=([0-9.]+)")]
    private static partial Regex FrameBrightness();
}

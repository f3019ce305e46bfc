using System.Globalization;
using System.Text;

namespace Footage.Ffmpeg;

/// <summary>
/// Joins local MPEG-TS files that follow each other in time into one MP4 with ffmpeg's concat demuxer and
/// <c>-c copy</c>: the first file enters at <c>from</c> and the last leaves at <c>to</c>. The MP4 muxer
/// writes an edit list, so the file starts playing at <c>from</c> even though the copied video starts at
/// the key frame before it (no re-encoding).
/// </summary>
public sealed class ConcatStitcher(FfmpegRunner ffmpeg)
{
    /// <param name="ClipFrom">When set, the file enters here rather than at its start (a Milestone file filling a gap in ours).</param>
    /// <param name="ClipTo">When set, the file leaves here rather than at its end.</param>
    public sealed record Input(string LocalPath, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset? ClipFrom = null, DateTimeOffset? ClipTo = null);

    public async Task StitchAsync(IReadOnlyList<Input> inputs, DateTimeOffset from, DateTimeOffset to, string output, CancellationToken cancellationToken)
    {
        var list = new StringBuilder("ffconcat version 1.0\n");
        foreach (var input in inputs)
        {
            list.Append(CultureInfo.InvariantCulture, $"file '{input.LocalPath.Replace("'", "'\\''", StringComparison.Ordinal)}'\n");
            // concat in/out points are in the file's own timestamps, which start where its muxer started them
            var probe = await MediaProbe.ReadAsync(ffmpeg, input.LocalPath, cancellationToken);
            var enter = input.ClipFrom is { } clipFrom && clipFrom > from ? clipFrom : from;
            var leave = input.ClipTo is { } clipTo && clipTo < to ? clipTo : to;
            if (enter > input.Start)
            {
                list.Append(CultureInfo.InvariantCulture, $"inpoint {probe.StartSeconds + (enter - input.Start).TotalSeconds:0.######}\n");
            }

            if (leave < input.End)
            {
                list.Append(CultureInfo.InvariantCulture, $"outpoint {probe.StartSeconds + (leave - input.Start).TotalSeconds:0.######}\n");
            }
        }

        var listPath = output + ".ffconcat";
        await File.WriteAllTextAsync(listPath, list.ToString(), cancellationToken);
        try
        {
            await ffmpeg.RunFfmpegAsync(
                ["-loglevel", "error", "-f", "concat", "-safe", "0", "-i", listPath, "-map", "0:v?", "-map", "0:a?", "-c", "copy",
                 "-movflags", "+faststart", "-f", "mp4", output],
                cancellationToken);
        }
        finally
        {
            File.Delete(listPath);
        }
    }
}

using System.Globalization;
using System.Text;

namespace Footage.Ffmpeg;

/// <summary>
/// Joins local MPEG-TS files that follow each other in time into one MP4 with ffmpeg's concat demuxer and
/// <c>-c copy</c> (no re-encoding); the last file leaves at <c>to</c>. The first file is given already cut at the key
/// frame at or before <c>from</c>: its timestamps are shifted so that <c>from</c> is time 0, the frames before it (needed
/// to decode the first ones after it) lie before 0, and the MP4's edit list starts presentation at 0. (The concat
/// demuxer's <c>inpoint</c> is not used for the start: it drops the whole group of pictures around the in point, so an
/// export started up to a key-frame interval late.)
/// </summary>
public sealed class ConcatStitcher(FfmpegRunner ffmpeg)
{
    /// <param name="Start">Wall-clock time of the file's first frame (for the first file: of the key frame it was cut at).</param>
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
            var enter = input.ClipFrom is { } clipFrom && clipFrom > from ? clipFrom : input.Start;
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
        var lead = inputs.Count > 0 && from > inputs[0].Start ? (from - inputs[0].Start).TotalSeconds : 0;
        try
        {
            await ffmpeg.RunFfmpegAsync(
                ["-loglevel", "error", "-itsoffset", (-lead).ToString("0.######", CultureInfo.InvariantCulture), "-f", "concat", "-safe", "0", "-i", listPath, "-map", "0:v?", "-map", "0:a?", "-c", "copy",
                 "-use_editlist", "1", "-movflags", "+faststart", "-f", "mp4", output],
                cancellationToken);
        }
        finally
        {
            File.Delete(listPath);
        }
    }
}

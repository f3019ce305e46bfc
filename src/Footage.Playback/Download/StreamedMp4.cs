using System.Globalization;
using System.Text;
using Footage.Ffmpeg;

namespace Footage.Playback.Download;

/// <summary>
/// Stitches local MPEG-TS files into one fragmented MP4 written to a stream while ffmpeg produces it (concat demuxer,
/// <c>-c copy</c>, no re-encoding). The first file is given already cut at the key frame at or before <c>from</c>; its
/// timestamps are shifted so that <c>from</c> is time 0 and the frames before it (needed to decode the first ones after
/// it) lie before 0, and the moov is written once the first fragment is known (<c>delay_moov</c>), with an edit list
/// that starts presentation at 0. (The concat demuxer's <c>inpoint</c> is not used for the start: it drops the whole
/// group of pictures around <c>from</c>, so a download started up to a key-frame interval late.)
/// </summary>
public sealed class StreamedMp4(FfmpegRunner ffmpeg)
{
    /// <param name="Start">Wall-clock time of the file's first frame (for the first file: of the key frame it was cut at).</param>
    /// <param name="ClipFrom">When set, the file enters here rather than at its start (a Milestone file filling a gap in ours; at a key frame).</param>
    /// <param name="ClipTo">When set, the file leaves here rather than at its end.</param>
    public sealed record Input(string LocalPath, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset? ClipFrom = null, DateTimeOffset? ClipTo = null);

    public async Task WriteAsync(IReadOnlyList<Input> inputs, DateTimeOffset from, DateTimeOffset to, Stream output, string workFolder, CancellationToken cancellationToken)
    {
        var list = new StringBuilder("ffconcat version 1.0\n");
        foreach (var input in inputs)
        {
            list.Append(CultureInfo.InvariantCulture, $"file '{input.LocalPath.Replace("'", "'\\''", StringComparison.Ordinal)}'\n");
            var enter = input.ClipFrom is { } clipFrom && clipFrom > input.Start ? clipFrom : (DateTimeOffset?)null;
            var leave = input.ClipTo is { } clipTo && clipTo < to ? clipTo : to;
            if (enter is null && leave >= input.End)
            {
                continue;
            }

            // in and out points are in the file's own timestamps, which start where its muxer started them
            var probe = await MediaProbe.ReadAsync(ffmpeg, input.LocalPath, cancellationToken);
            if (enter is { } at)
            {
                list.Append(CultureInfo.InvariantCulture, $"inpoint {probe.StartSeconds + (at - input.Start).TotalSeconds:0.######}\n");
            }

            if (leave < input.End)
            {
                list.Append(CultureInfo.InvariantCulture, $"outpoint {probe.StartSeconds + (leave - input.Start).TotalSeconds:0.######}\n");
            }
        }

        // AAC in MPEG-TS is ADTS; an MP4 wants its configuration in the moov, which ffmpeg derives on its own only for a
        // moov written at the end: a fragmented one refuses the packets ("Malformed AAC bitstream") without the filter,
        // which itself refuses any other codec (MP3)
        var aac = inputs.Count > 0
            && (await MediaProbe.ReadAsync(ffmpeg, inputs[0].LocalPath, cancellationToken)).Streams.Any(s => s is { CodecType: "audio", CodecName: "aac" });
        var listPath = Path.Combine(workFolder, "download.ffconcat");
        await File.WriteAllTextAsync(listPath, list.ToString(), cancellationToken);
        var lead = inputs.Count > 0 && from > inputs[0].Start ? (from - inputs[0].Start).TotalSeconds : 0;
        await ffmpeg.RunFfmpegToStreamAsync(
            ["-loglevel", "error", "-itsoffset", (-lead).ToString("0.######", CultureInfo.InvariantCulture),
             "-f", "concat", "-safe", "0", "-i", listPath, "-map", "0:v?", "-map", "0:a?", "-c", "copy",
             .. aac ? (string[])["-bsf:a", "aac_adtstoasc"] : [],
             "-use_editlist", "1", "-movflags", "frag_keyframe+empty_moov+delay_moov+default_base_moof", "-f", "mp4", "pipe:1"],
            output, cancellationToken);
    }
}

using System.Buffers.Binary;
using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace Footage.Testing;

/// <summary>
/// What a downloaded MP4 shows: its video frames' presentation times as ffprobe decodes them, and the start its edit list
/// gives (the frames before it decode the first shown ones but are not shown).
/// </summary>
public sealed record DownloadedMp4(double[] FrameTimes, double EditListStart)
{
    /// <summary>
    /// The frames a player that honours the edit list shows: the download puts <c>from</c> at time 0, the lead frames
    /// before it (ffmpeg's own demuxer does not apply edit lists of fragmented files, so it reports them, before 0).
    /// </summary>
    public double[] Shown => FrameTimes.Where(t => t >= -0.0005).ToArray();

    public static async Task<DownloadedMp4> ReadAsync(string path)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0", path])
            .ExecuteBufferedAsync();
        var times = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => double.Parse(l.TrimEnd(','), CultureInfo.InvariantCulture)).Order().ToArray();
        return new DownloadedMp4(times, EditListMediaStart(await File.ReadAllBytesAsync(path)));
    }

    /// <summary>The first video track's edit list media_time in seconds (0 without an edit list); version 0 boxes.</summary>
    private static double EditListMediaStart(byte[] file)
    {
        var elst = file.AsSpan().IndexOf("elst"u8);
        var mdhd = file.AsSpan().IndexOf("mdhd"u8);
        if (elst < 0 || mdhd < 0)
        {
            return 0;
        }

        var mediaTime = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(elst + 16));
        var timescale = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(mdhd + 16));
        return mediaTime <= 0 ? 0 : mediaTime / (double)timescale;
    }
}

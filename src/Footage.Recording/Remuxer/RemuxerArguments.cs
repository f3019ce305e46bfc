using System.Globalization;
using Footage.Core.Cameras;
using Footage.Recording.Processes;
using Footage.Recording.Spool;

namespace Footage.Recording.Remuxer;

/// <summary>
/// The command line of <c>footage-recorder</c> for one camera run: what <see cref="RecorderArguments.ForRtsp(string, RecordingPlan, int, string, TimeSpan, bool)"/>
/// asks of ffmpeg, in the recorder's own words. It writes the same files, list and progress reports.
/// </summary>
public static class RemuxerArguments
{
    public static IReadOnlyList<string> ForRtsp(string rtspUrl, RecordingPlan plan, int segmentSeconds, string run, TimeSpan stallTimeout, bool flushEveryPacket, Guid cameraId) =>
    [
        "--camera", cameraId.ToString("D"),
        "--segment-time", segmentSeconds.ToString(CultureInfo.InvariantCulture),
        "--list", SpoolFolder.ListFile(run),
        // the orphan check of a killed recorder finds a run's process by this pattern in its command line
        "--pattern", SpoolFolder.SegmentPattern(run),
        .. flushEveryPacket ? (string[])["--flush-packets"] : [],
        "--transport", CameraStreamSettings.ToWire(plan.Transport),
        "--protocol-whitelist", RecorderArguments.ProtocolWhitelistFor(plan.Transport),
        "--timeout", "5000000",
        "--audio", Audio(plan.Audio),
        "--aac-bitrate", RecorderArguments.AacBitrate,
        "--stats-period", RecorderArguments.ProgressPeriod(stallTimeout),
        rtspUrl,
    ];

    // B-frames need no option: the program itself starts such a camera at its next key frame, where every packet has both timestamps
    private static string Audio(AudioHandling audio) => audio switch
    {
        AudioHandling.Copy => "copy",
        AudioHandling.ToAac => "aac",
        _ => "none",
    };
}

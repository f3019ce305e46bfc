using System.Globalization;
using Footage.Core.Cameras;

namespace Footage.Recording.Processes;

/// <summary>The ffmpeg command lines of a recorder: the spec's copy-into-segments command, and the demo camera's test source.</summary>
public static class RecorderArguments
{
    /// <summary>The only protocols ffmpeg may open for a camera: the RTSP demuxer's TCP connection, and TLS for rtsps://.</summary>
    public const string ProtocolWhitelist = "tcp,tls";

    /// <summary>The same, and the RTP/UDP sockets of a camera whose packets come over UDP.</summary>
    public const string UdpProtocolWhitelist = "tcp,tls,udp,rtp";

    /// <summary>The bit rate of sound converted to AAC: G.711 is 64 kbit/s of 8 kHz speech, which AAC keeps intelligible in far less.</summary>
    public const string AacBitrate = "32k";

    public static string ProtocolWhitelistFor(RtspTransport transport) => transport == RtspTransport.Udp ? UdpProtocolWhitelist : ProtocolWhitelist;

    /// <summary>Pull RTSP over TCP, copy video (and audio when there is some) into MPEG-TS segments, listing each closed file.</summary>
    public static IReadOnlyList<string> ForRtsp(string rtspUrl, int segmentSeconds, string run, TimeSpan stallTimeout, bool flushEveryPacket) =>
        ForRtsp(rtspUrl, RecordingPlan.Default, segmentSeconds, run, stallTimeout, flushEveryPacket);

    /// <summary>
    /// Pull RTSP over the camera's transport, copy its video into MPEG-TS segments listing each closed file, and its sound as
    /// <paramref name="plan"/> says (copied, converted to AAC, or not at all).
    /// </summary>
    public static IReadOnlyList<string> ForRtsp(string rtspUrl, RecordingPlan plan, int segmentSeconds, string run, TimeSpan stallTimeout, bool flushEveryPacket) =>
    [
        "-hide_banner", "-loglevel", "warning", "-nostats", "-progress", "pipe:1", "-stats_period", ProgressPeriod(stallTimeout),
        "-rtsp_transport", CameraStreamSettings.ToWire(plan.Transport), "-timeout", "5000000",
        // RTSP over TCP (its RTP over UDP when the camera's transport is UDP), or TLS for rtsps: whatever URL reached this
        // point, ffmpeg opens no file, no http, no other protocol
        "-protocol_whitelist", ProtocolWhitelistFor(plan.Transport),
        "-i", rtspUrl,
        "-map", "0:v", "-c:v", "copy",
        // a camera whose timestamps jump (its clock stepped) keeps a continuous timeline; only without sound, whose times would
        // not be moved with the picture's (see docs/recording.md, "Variable frame rates and jumping timestamps")
        .. plan.Audio is AudioHandling.None or AudioHandling.Drop ? (string[])["-bsf:v", CameraTimestampJumps.VideoFilter] : [],
        .. Audio(plan.Audio),
        // ffmpeg 5.1 gives the first picture of an RTSP session no timestamp; with B-frames the copy then stops at its first
        // packet ("first pts and dts value must be set"). Such a recording starts at the camera's second key frame instead,
        // where every packet has both (see docs/recording.md, "B-frames")
        .. plan.BFrames ? (string[])["-ss", "0.001"] : [],
        .. SegmentMuxer(segmentSeconds, run, flushEveryPacket),
    ];

    private static IEnumerable<string> Audio(AudioHandling audio) => audio switch
    {
        AudioHandling.Copy => ["-map", "0:a?", "-c:a", "copy"],
        // the muxer would write G.711 into MPEG-TS as private data nothing plays: sound it cannot carry is made AAC
        AudioHandling.ToAac => ["-map", "0:a", "-c:a", "aac", "-b:a", AacBitrate],
        _ => [],
    };

    /// <summary>ffmpeg's own test picture in real time with the local time drawn on it, encoded small.</summary>
    public static IReadOnlyList<string> ForDemo(string? fontFile, int segmentSeconds, string run, TimeSpan stallTimeout, bool flushEveryPacket)
    {
        var source = "testsrc2=size=640x360:rate=25";
        if (fontFile is not null)
        {
            source += $",drawtext=fontfile='{fontFile.Replace("'", string.Empty, StringComparison.Ordinal)}':text='%{{localtime}}':x=16:y=16:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6";
        }

        return
        [
            "-hide_banner", "-loglevel", "warning", "-nostats", "-progress", "pipe:1", "-stats_period", ProgressPeriod(stallTimeout),
            "-re", "-f", "lavfi", "-i", source,
            "-map", "0:v", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-g", "50", "-b:v", "400k", "-maxrate", "500k", "-bufsize", "1M",
            .. SegmentMuxer(segmentSeconds, run, flushEveryPacket),
        ];
    }

    /// <summary>
    /// How often ffmpeg reports its progress: four reports within the stall timeout, so that a late one is never taken for a
    /// stall, and at most every 2 s (each report wakes the supervisor: a recorder of hundreds of cameras wants few).
    /// </summary>
    public static string ProgressPeriod(TimeSpan stallTimeout) =>
        Math.Clamp(stallTimeout.TotalSeconds / 4, 0.25, 2).ToString("0.###", CultureInfo.InvariantCulture);

    private static IEnumerable<string> SegmentMuxer(int segmentSeconds, string run, bool flushEveryPacket) =>
    [
        "-f", "segment", "-segment_time", segmentSeconds.ToString(CultureInfo.InvariantCulture),
        "-segment_format", "mpegts", "-reset_timestamps", "1",
        // every packet reaches the file at once: a crash loses at most the packet in flight, not the 256 KB that ffmpeg's
        // file output buffers otherwise, and the live edge trails by a frame (a write call per packet costs ffmpeg about a tenth more CPU)
        .. flushEveryPacket ? (string[])["-segment_format_options", "flush_packets=1"] : [],
        "-segment_list", Spool.SpoolFolder.ListFile(run), "-segment_list_type", "csv", "-segment_list_flags", "+live",
        Spool.SpoolFolder.SegmentPattern(run),
    ];
}

namespace Footage.Recording.Processes;

/// <summary>
/// The bitstream filter (ffmpeg's <c>setts</c>) that keeps a camera's video timeline continuous when the camera's timestamps
/// jump: its clock stepped, a restarted encoder, a firmware that resets its RTP timestamps. Without it, a step back makes the
/// muxer stamp every frame until the old time is passed one tick apart (seconds of footage in no time) and a step forward
/// puts a hole of the step's length into the segment, so that seconds of footage claim minutes of the timeline.
/// A step of the decoding time back by more than a second, or forward by more than the RTSP socket timeout (5 s: a camera
/// silent that long ends the session, so such a step cannot be a real pause), is taken as a jump: the frame after it follows
/// the one before by 40 ms, and every later frame keeps its distance to it. Smaller steps are kept as the camera sent them:
/// they are a variable frame rate, a lost packet or a real pause. Used for cameras recorded without sound only: the sound's
/// times are not moved with the picture's, and ffmpeg's RTSP reader moves both by the camera's RTCP sender reports.
/// </summary>
public static class CameraTimestampJumps
{
    /// <summary>
    /// Ticks of the 90 kHz clock every H.264 and H.265 RTP stream uses (RFC 6184, RFC 7798), which the copy keeps. Written as
    /// numbers: ffmpeg 5.1 gives <c>setts</c> no time base (<c>TB</c>) ahead of the segment muxer's header.
    /// </summary>
    private const int Second = 90_000;

    // the offset added to the camera's times: 0 for the first frame, then kept from the frame before unless this one jumped
    private static readonly string Offset =
        $@"if(eq(PREV_INDTS\,NOPTS)\,0\,if(lt(DTS-PREV_INDTS\,-{Second})+gt(DTS-PREV_INDTS\,{5 * Second})\,PREV_OUTDTS+{Second / 25}-DTS\,PREV_OUTDTS-PREV_INDTS))";

    /// <summary>The value of <c>-bsf:v</c>: both times of a frame moved by the same offset (a B-frame keeps its place in the order).</summary>
    public static string VideoFilter { get; } = $@"setts=pts=if(eq(PTS\,NOPTS)\,NOPTS\,PTS+{Offset}):dts=DTS+{Offset}";
}

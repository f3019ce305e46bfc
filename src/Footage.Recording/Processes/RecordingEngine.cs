namespace Footage.Recording.Processes;

/// <summary>What program records each camera (<c>Footage:Recording:Engine</c>).</summary>
public enum RecordingEngine
{
    /// <summary>The OS's ffmpeg with the spec's command: the default.</summary>
    Ffmpeg,

    /// <summary>
    /// <c>footage-recorder</c>, built with the server from <c>Remuxer/footage-recorder.c</c>: the same segment muxer and the
    /// same outputs, linking only libavformat, libavcodec and libavutil, so a recording process holds a fraction of an
    /// ffmpeg's private memory (docs/recording.md, "Recording engines"). The demo camera is always recorded by ffmpeg.
    /// </summary>
    Remuxer,
}

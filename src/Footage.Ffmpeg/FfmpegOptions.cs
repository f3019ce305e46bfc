namespace Footage.Ffmpeg;

/// <summary><c>Footage:Ffmpeg</c>: the OS's ffmpeg and ffprobe (never downloaded or bundled).</summary>
public sealed class FfmpegOptions
{
    public const string Section = "Footage:Ffmpeg";

    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>The key-frame decoder process (thumbnails); empty: <c>footage-keyframe-decoder</c> beside the server's assemblies.</summary>
    public string? KeyFrameDecoderPath { get; set; }

    /// <summary>Longest a picture may take in the key-frame decoder process before it is stopped (a hang on a hostile frame).</summary>
    public TimeSpan KeyFrameTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

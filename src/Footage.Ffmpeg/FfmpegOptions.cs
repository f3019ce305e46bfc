namespace Footage.Ffmpeg;

/// <summary><c>Footage:Ffmpeg</c>: the OS's ffmpeg and ffprobe (never downloaded or bundled).</summary>
public sealed class FfmpegOptions
{
    public const string Section = "Footage:Ffmpeg";

    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";
}

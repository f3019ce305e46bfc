namespace Footage.Ffmpeg;

/// <summary>ffmpeg or ffprobe failed; the message carries the last lines it wrote to stderr.</summary>
public sealed class FfmpegException(string tool, int exitCode, string stderrTail)
    : Exception($"{tool} exited with code {exitCode}: {stderrTail}")
{
    public int ExitCode { get; } = exitCode;

    public string StderrTail { get; } = stderrTail;
}

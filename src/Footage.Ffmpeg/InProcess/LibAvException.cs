namespace Footage.Ffmpeg.InProcess;

/// <summary>A libav call made in this process failed (a picture that does not decode, a codec that is missing).</summary>
public sealed class LibAvException(string message) : Exception(message);

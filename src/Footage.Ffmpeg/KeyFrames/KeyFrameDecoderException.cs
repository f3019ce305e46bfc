namespace Footage.Ffmpeg.KeyFrames;

/// <summary>The decoder process could not make the picture (an undecodable frame, or the process ended or hung).</summary>
public sealed class KeyFrameDecoderException(string message, bool processEnded) : Exception(message)
{
    /// <summary>True when the process itself ended or was stopped (a crash, a hang), not just refused the picture.</summary>
    public bool ProcessEnded { get; } = processEnded;
}

namespace Footage.Core.Cameras;

/// <summary>
/// What the recorder does with a camera's sound. <see cref="Keep"/> (the default): AAC and MP3 are copied as they are, any other
/// codec (G.711, G.726, Opus...), which MPEG-TS cannot carry readably, is converted to AAC. <see cref="Drop"/>: no sound is recorded
/// (where recording sound is not allowed, or not wanted).
/// </summary>
public enum CameraAudio
{
    Keep,
    Drop,
}

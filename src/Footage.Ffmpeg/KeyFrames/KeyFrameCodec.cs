namespace Footage.Ffmpeg.KeyFrames;

/// <summary>The codecs the decoder process takes, with their numbers on its protocol.</summary>
public enum KeyFrameCodec
{
    H264 = 1,
    H265 = 2,
}

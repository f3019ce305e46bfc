namespace Footage.Milestone.ImageServer;

/// <summary>Codecs of Milestone's GenericByteData header.</summary>
public enum VideoCodec
{
    Jpeg = 0x0001,
    H264 = 0x000A,
    H265 = 0x000E,
}

/// <summary>One recorded frame: its time (ms since the epoch, ImageServer's <c>Current</c>), key flag, codec and Annex-B bytes.</summary>
public sealed record VideoFrame(long TimeMilliseconds, bool IsKey, VideoCodec Codec, ReadOnlyMemory<byte> Data)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeMilliseconds);
}

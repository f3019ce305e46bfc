namespace Footage.Milestone.ImageServer;

/// <summary>Codecs of Milestone's GenericByteData header that the adapter names; others keep their number.</summary>
public enum VideoCodec
{
    Jpeg = 0x0001,
    H264 = 0x000A,
    H265 = 0x000E,
}

/// <summary>One recorded frame: its time (ms since the epoch), key flag, codec and bytes (Annex-B, or a JPEG picture).</summary>
public sealed record VideoFrame(long TimeMilliseconds, bool IsKey, VideoCodec Codec, ReadOnlyMemory<byte> Data)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeMilliseconds);
}

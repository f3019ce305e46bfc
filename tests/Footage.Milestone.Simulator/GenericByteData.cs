using System.Buffers.Binary;
using System.Text;

namespace Footage.Milestone.Simulator;

/// <summary>
/// The simulator's side of Milestone's GenericByteData format: big-endian packets with a data type and a total length in
/// front (video stream packet 0x0010, audio 0x0020, metadata 0x0030, a multi-packet 0xFEF0 holding several, the legacy
/// video block types 0x0001 to 0x000F). Video and audio headers are 32 bytes: type, length, codec, sequence number, flags
/// (bit 0 = key frame), the sync time (the GOP's key frame) and the picture time in ms since the epoch, reserved.
/// The multi-packet header (16 bytes) follows go2rtc's reading of it: type and length, then the packets.
/// </summary>
internal static class GenericByteData
{
    public static byte[] Video(RecordedFrame frame, ushort sequence) =>
        Packet(0x0010, frame.Codec, sequence, frame.Key ? (ushort)1 : (ushort)0, frame.GopTimeMilliseconds, frame.TimeMilliseconds, frame.Data);

    /// <summary>A legacy video block: the old sub-format that carries a short sequence of pictures under types 0x0001-0x000F.</summary>
    public static byte[] VideoBlock(RecordedFrame frame, ushort sequence) =>
        Packet(0x0001, frame.Codec, sequence, 1, frame.GopTimeMilliseconds, frame.TimeMilliseconds, frame.Data);

    /// <summary>20 ms of G.711 µ-law silence.</summary>
    public static byte[] Audio(long time, ushort sequence) =>
        Packet(0x0020, 0x0002, sequence, 1, time, time, Enumerable.Repeat((byte)0xFF, 160).ToArray());

    public static byte[] Metadata(long time, ushort sequence) =>
        Packet(0x0030, 0x0001, sequence, 1, time, time,
            Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><tt:MetadataStream xmlns:tt=\"http://www.onvif.org/ver10/schema\"><tt:VideoAnalytics/></tt:MetadataStream>"));

    public static byte[] Multi(params byte[][] packets)
    {
        var length = 16 + packets.Sum(p => p.Length);
        var bytes = new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, 0xFEF0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), (uint)length);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), (ushort)packets.Length);
        var at = 16;
        foreach (var packet in packets)
        {
            packet.CopyTo(bytes, at);
            at += packet.Length;
        }

        return bytes;
    }

    private static byte[] Packet(ushort type, ushort codec, ushort sequence, ushort flags, long sync, long picture, byte[] data)
    {
        var bytes = new byte[32 + data.Length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, type);
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)bytes.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], codec);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], sequence);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], flags);
        BinaryPrimitives.WriteInt64BigEndian(span[12..], sync);
        BinaryPrimitives.WriteInt64BigEndian(span[20..], picture);
        data.CopyTo(span[32..]);
        return bytes;
    }
}

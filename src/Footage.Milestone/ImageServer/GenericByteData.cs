using System.Buffers.Binary;

namespace Footage.Milestone.ImageServer;

/// <summary>
/// Milestone's GenericByteData video packet: a 32-byte big-endian header (data type 0x0010 = video, total length,
/// codec, sequence number, flags with bit 0 = key frame, two millisecond timestamps, reserved) and the frame.
/// </summary>
public static class GenericByteData
{
    public const int HeaderLength = 32;
    public const ushort VideoDataType = 0x0010;

    public sealed record Packet(ushort Codec, ushort SequenceNumber, bool IsKey, long SyncTimestamp, long PictureTimestamp, ReadOnlyMemory<byte> Payload);

    public static Packet Parse(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        if (span.Length < HeaderLength)
        {
            throw new MilestoneException(MilestoneFailure.Protocol, $"A GenericByteData packet of {span.Length} bytes is shorter than its 32-byte header.");
        }

        var dataType = BinaryPrimitives.ReadUInt16BigEndian(span);
        var total = BinaryPrimitives.ReadUInt32BigEndian(span[2..]);
        if (dataType != VideoDataType)
        {
            throw new MilestoneException(MilestoneFailure.Protocol, $"GenericByteData type 0x{dataType:x4} is not video (0x0010).");
        }

        if (total < HeaderLength || total > span.Length)
        {
            throw new MilestoneException(MilestoneFailure.Protocol, $"GenericByteData says {total} bytes but the body has {span.Length}.");
        }

        return new Packet(
            BinaryPrimitives.ReadUInt16BigEndian(span[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(span[8..]),
            (BinaryPrimitives.ReadUInt16BigEndian(span[10..]) & 1) != 0,
            BinaryPrimitives.ReadInt64BigEndian(span[12..]),
            BinaryPrimitives.ReadInt64BigEndian(span[20..]),
            body[HeaderLength..(int)total]);
    }
}

using System.Buffers.Binary;

namespace Footage.Milestone.ImageServer;

/// <summary>
/// Milestone's GenericByteData format: packets with a big-endian data type and total length in front. A video stream
/// packet (0x0010) has a 32-byte header (type, total length, codec, sequence number, flags with bit 0 = key frame, the
/// sync and picture timestamps in ms, reserved) and one frame; audio (0x0020) and metadata (0x0030) packets are not
/// video; a multi-packet (0xFEF0, a 16-byte header) holds several packets, typically a video and an audio one. The
/// legacy video block sub-format (types 0x0001 to 0x000F, several pictures in one packet) is refused.
/// </summary>
public static class GenericByteData
{
    public const int HeaderLength = 32;
    public const ushort VideoDataType = 0x0010;
    public const ushort AudioDataType = 0x0020;
    public const ushort MetadataDataType = 0x0030;
    public const ushort MultiPacketDataType = 0xFEF0;
    private const int MultiPacketHeaderLength = 16;

    public sealed record Packet(ushort Codec, ushort SequenceNumber, bool IsKey, long SyncTimestamp, long PictureTimestamp, ReadOnlyMemory<byte> Payload);

    /// <summary>The video packets of a body, and how many audio and metadata packets it held besides.</summary>
    public sealed record Contents(IReadOnlyList<Packet> Video, int Audio, int Metadata);

    public static Contents Read(ReadOnlyMemory<byte> body)
    {
        var video = new List<Packet>();
        var (audio, metadata) = (0, 0);
        Walk(body, video, ref audio, ref metadata);
        return new Contents(video, audio, metadata);
    }

    /// <summary>Milestone's codec numbers, for messages.</summary>
    public static string CodecName(ushort codec) => codec switch
    {
        0x0001 => "JPEG",
        0x0004 or 0x0005 or 0x0006 or 0x000B => "MPEG-4 Part 2",
        0x0007 or 0x0009 => "H.263",
        0x000A => "H.264",
        0x000C => "VC-1",
        0x000E => "H.265",
        0x000F => "AV1",
        0x0080 => "MxPEG",
        _ => $"codec 0x{codec:x4}",
    };

    private static void Walk(ReadOnlyMemory<byte> body, List<Packet> video, ref int audio, ref int metadata)
    {
        while (body.Length > 0)
        {
            var span = body.Span;
            if (span.Length < 6)
            {
                throw new MilestoneException(MilestoneFailure.Protocol, $"A GenericByteData packet of {span.Length} bytes is shorter than its type and length.");
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(span);
            var total = BinaryPrimitives.ReadUInt32BigEndian(span[2..]);
            if (type is >= 0x0001 and <= 0x000F)
            {
                throw new MilestoneException(MilestoneFailure.Unsupported,
                    $"Milestone sent this camera's video as legacy video blocks (GenericByteData type 0x{type:x4}), which the adapter does not read; "
                    + "Milestone sends video stream packets when the camera records H.264 or H.265.");
            }

            var least = type is VideoDataType or AudioDataType ? HeaderLength : type == MultiPacketDataType ? MultiPacketHeaderLength : 6;
            if (total < least || total > span.Length)
            {
                throw new MilestoneException(MilestoneFailure.Protocol, $"GenericByteData type 0x{type:x4} says {total} bytes but {span.Length} are left of the body.");
            }

            switch (type)
            {
                case VideoDataType:
                    video.Add(new Packet(
                        BinaryPrimitives.ReadUInt16BigEndian(span[6..]),
                        BinaryPrimitives.ReadUInt16BigEndian(span[8..]),
                        (BinaryPrimitives.ReadUInt16BigEndian(span[10..]) & 1) != 0,
                        BinaryPrimitives.ReadInt64BigEndian(span[12..]),
                        BinaryPrimitives.ReadInt64BigEndian(span[20..]),
                        body[HeaderLength..(int)total]));
                    break;
                case AudioDataType:
                    audio++; // XProtect records a microphone as a device of its own; the camera's video does not carry it
                    break;
                case MetadataDataType:
                    metadata++;
                    break;
                case MultiPacketDataType:
                    Walk(body[MultiPacketHeaderLength..(int)total], video, ref audio, ref metadata);
                    break;
                default:
                    throw new MilestoneException(MilestoneFailure.Unsupported, $"Milestone sent GenericByteData of type 0x{type:x4}, which the adapter does not know.");
            }

            body = body[(int)total..];
        }
    }
}

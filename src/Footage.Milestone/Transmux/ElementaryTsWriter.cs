using System.Buffers.Binary;

namespace Footage.Milestone.Transmux;

/// <summary>
/// Wraps Annex-B access units in a minimal MPEG-TS (ISO/IEC 13818-1: PAT, PMT, one PES per frame with its PTS, and its DTS
/// when the two differ) so that ffmpeg receives each frame with its own timestamps: ffmpeg's raw <c>h264</c>/<c>hevc</c>
/// input has none and would assume a constant frame rate, which Milestone's recordings do not promise, and B-frames need
/// a decode time before their presentation time.
/// </summary>
public sealed class ElementaryTsWriter(Stream output, bool hevc)
{
    public const int PacketSize = 188;
    private const int PmtPid = 0x1000;
    private const int VideoPid = 0x100;
    private const long TimestampOffset = 90_000; // one second, so no timestamp is ever negative
    private readonly byte[] _packet = new byte[PacketSize];
    private readonly Dictionary<int, int> _continuity = [];
    private long? _first;

    /// <summary>Writes one frame with its decode and presentation times (90 kHz; any origin, the first decode time becomes one second).</summary>
    public async Task WriteFrameAsync(long dts, long pts, bool isKey, ReadOnlyMemory<byte> annexB, CancellationToken cancellationToken)
    {
        _first ??= dts;
        if (isKey || _continuity.Count == 0)
        {
            await WriteSectionAsync(0, Pat(), cancellationToken);
            await WriteSectionAsync(PmtPid, Pmt(), cancellationToken);
        }

        dts = TimestampOffset + dts - _first.Value;
        pts = TimestampOffset + pts - _first.Value;
        var both = pts != dts;
        var headerLength = both ? 10 : 5;
        var pes = new byte[9 + headerLength + annexB.Length];
        pes[2] = 0x01;
        pes[3] = 0xE0;                     // video stream 0; PES_packet_length 0 = unbounded (allowed for video)
        pes[6] = 0x80;
        pes[7] = (byte)(both ? 0xC0 : 0x80); // PTS, and DTS when it differs
        pes[8] = (byte)headerLength;
        WriteTimestamp(pes.AsSpan(9), both ? 0x3 : 0x2, pts);
        if (both)
        {
            WriteTimestamp(pes.AsSpan(14), 0x1, dts);
        }

        annexB.Span.CopyTo(pes.AsSpan(9 + headerLength));
        await WritePesAsync(pes, isKey, dts, cancellationToken);
    }

    private async Task WritePesAsync(byte[] pes, bool isKey, long dts, CancellationToken cancellationToken)
    {
        var offset = 0;
        var first = true;
        while (offset < pes.Length)
        {
            Array.Fill(_packet, (byte)0xFF);
            var adaptation = first ? 8 : 0; // length byte + flags + PCR on the first packet
            var room = PacketSize - 4 - adaptation;
            var take = Math.Min(room, pes.Length - offset);
            var stuffing = room - take;
            if (stuffing > 0 && adaptation == 0)
            {
                adaptation = stuffing;   // a 1-byte adaptation field is just its length byte
                stuffing = 0;
            }

            Header(VideoPid, first, adaptation > 0);
            if (adaptation > 0)
            {
                _packet[4] = (byte)(adaptation - 1 + stuffing);
                if (adaptation + stuffing >= 2)
                {
                    _packet[5] = 0x00;
                    if (first)
                    {
                        _packet[5] = (byte)(0x10 | (isKey ? 0x40 : 0x00)); // PCR flag, random access at key frames
                        WritePcr(_packet.AsSpan(6), dts - 9000);
                    }
                }
            }

            pes.AsSpan(offset, take).CopyTo(_packet.AsSpan(PacketSize - take));
            offset += take;
            first = false;
            await output.WriteAsync(_packet, cancellationToken);
        }
    }

    private async Task WriteSectionAsync(int pid, byte[] section, CancellationToken cancellationToken)
    {
        Array.Fill(_packet, (byte)0xFF);
        Header(pid, true, false);
        _packet[4] = 0; // pointer field
        section.CopyTo(_packet.AsSpan(5));
        await output.WriteAsync(_packet, cancellationToken);
    }

    private void Header(int pid, bool unitStart, bool adaptation)
    {
        var counter = _continuity.TryGetValue(pid, out var c) ? c : 0;
        _continuity[pid] = (counter + 1) & 0x0F;
        _packet[0] = 0x47;
        _packet[1] = (byte)((unitStart ? 0x40 : 0) | (pid >> 8));
        _packet[2] = (byte)pid;
        _packet[3] = (byte)((adaptation ? 0x30 : 0x10) | counter);
    }

    private static byte[] Pat() => WithCrc([0x00, 0xB0, 13, 0x00, 0x01, 0xC1, 0x00, 0x00, 0x00, 0x01, 0xE0 | (PmtPid >> 8), PmtPid & 0xFF]);

    private byte[] Pmt() => WithCrc(
    [
        0x02, 0xB0, 18, 0x00, 0x01, 0xC1, 0x00, 0x00,
        0xE0 | (VideoPid >> 8), VideoPid & 0xFF, 0xF0, 0x00,
        hevc ? 0x24 : 0x1B, 0xE0 | (VideoPid >> 8), VideoPid & 0xFF, 0xF0, 0x00,
    ]);

    private static byte[] WithCrc(int[] section)
    {
        var bytes = section.Select(b => (byte)b).ToArray();
        var crc = Crc32Mpeg(bytes);
        var result = new byte[bytes.Length + 4];
        bytes.CopyTo(result, 0);
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(bytes.Length), crc);
        return result;
    }

    private static uint Crc32Mpeg(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= (uint)b << 24;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }

        return crc;
    }

    private static void WriteTimestamp(Span<byte> target, int prefix, long ts)
    {
        target[0] = (byte)((prefix << 4) | (int)(((ts >> 30) & 0x07) << 1) | 1);
        target[1] = (byte)(ts >> 22);
        target[2] = (byte)((((ts >> 15) & 0x7F) << 1) | 1);
        target[3] = (byte)(ts >> 7);
        target[4] = (byte)(((ts & 0x7F) << 1) | 1);
    }

    private static void WritePcr(Span<byte> target, long pcrBase)
    {
        pcrBase = Math.Max(0, pcrBase);
        target[0] = (byte)(pcrBase >> 25);
        target[1] = (byte)(pcrBase >> 17);
        target[2] = (byte)(pcrBase >> 9);
        target[3] = (byte)(pcrBase >> 1);
        target[4] = (byte)(((pcrBase & 1) << 7) | 0x7E);
        target[5] = 0;
    }
}

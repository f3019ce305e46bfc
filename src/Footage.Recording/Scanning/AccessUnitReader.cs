namespace Footage.Recording.Scanning;

/// <summary>
/// Reads one picture out of an MPEG-TS file without a demuxer: the elementary stream of the first video PES that starts at
/// or after an offset (a key-frame index entry), up to the start of the next one. For H.264 and H.265 that is the access
/// unit in Annex B form; the muxer put the parameter sets before every key frame, so it decodes on its own.
/// </summary>
public static class AccessUnitReader
{
    private const int MaxBytes = 32 * 1024 * 1024;

    /// <summary>The picture at <paramref name="offset"/> and the PMT's stream type of the video (0x1B H.264, 0x24 H.265).</summary>
    public static async Task<(byte[] Unit, int StreamType)> ReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, useAsync: false);
        var buffer = new byte[TsScanner.PacketSize * 256];
        var (videoPid, streamType) = await VideoStreamAsync(stream, buffer, cancellationToken);
        stream.Seek(offset, SeekOrigin.Begin);
        return (await UnitAsync(stream, buffer, videoPid, cancellationToken), streamType);
    }

    /// <summary>The video's PID and stream type from the program tables at the start of the file (every segment starts with them).</summary>
    private static async Task<(int Pid, int StreamType)> VideoStreamAsync(FileStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var tables = new TsScanner.ScanState();
        long offset = 0;
        while (offset < 4 * 1024 * 1024)
        {
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            for (var i = 0; i + TsScanner.PacketSize <= read; i += TsScanner.PacketSize)
            {
                if (!tables.Packet(buffer.AsSpan(i, TsScanner.PacketSize), offset + i))
                {
                    throw new InvalidDataException("not MPEG-TS");
                }

                if (tables is { VideoPid: { } pid, VideoStreamType: { } type })
                {
                    return (pid, type);
                }
            }

            offset += read;
            if (read < buffer.Length)
            {
                break;
            }
        }

        throw new InvalidDataException("no H.264 or H.265 video in the program tables");
    }

    private static async Task<byte[]> UnitAsync(FileStream stream, byte[] buffer, int videoPid, CancellationToken cancellationToken)
    {
        using var unit = new MemoryStream();
        var started = false;
        while (unit.Length < MaxBytes)
        {
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            for (var i = 0; i + TsScanner.PacketSize <= read; i += TsScanner.PacketSize)
            {
                if (Packet(buffer.AsSpan(i, TsScanner.PacketSize), videoPid, ref started, unit))
                {
                    return unit.ToArray();
                }
            }

            if (read < buffer.Length)
            {
                break; // the last picture of the file ends with it
            }
        }

        return unit.ToArray();
    }

    /// <summary>Adds the packet's share of the picture; true once the next picture begins.</summary>
    private static bool Packet(ReadOnlySpan<byte> p, int videoPid, ref bool started, MemoryStream unit)
    {
        if (p[0] != 0x47 || (((p[1] & 0x1F) << 8) | p[2]) != videoPid)
        {
            return false;
        }

        var adaptation = (p[3] >> 4) & 0x3;
        var payloadStart = adaptation is 2 or 3 ? 5 + p[4] : 4;
        if (adaptation is 0 or 2 || payloadStart >= p.Length)
        {
            return false;
        }

        var payload = p[payloadStart..];
        if ((p[1] & 0x40) != 0)
        {
            if (started)
            {
                return true;
            }

            // PES header: start code, stream id, length, two flag bytes, header length, then the header's fields
            if (payload.Length < 9 || payload[0] != 0 || payload[1] != 0 || payload[2] != 1 || 9 + payload[8] > payload.Length)
            {
                return false;
            }

            started = true;
            payload = payload[(9 + payload[8])..];
        }

        if (started)
        {
            unit.Write(payload);
        }

        return false;
    }
}

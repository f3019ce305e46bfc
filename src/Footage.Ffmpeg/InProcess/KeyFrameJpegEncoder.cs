namespace Footage.Ffmpeg.InProcess;

/// <summary>
/// Turns one key frame (an H.264 or H.265 access unit in Annex B form, parameter sets included) into a JPEG inside this
/// process, with the same libavcodec decoder and MJPEG encoder the ffmpeg command line would use. It exists for speed: a
/// thumbnail made by running ffmpeg costs 50 to 100 ms of CPU, nearly all of it the dynamic linker loading ffmpeg's
/// hundred libraries, where the picture itself takes a few milliseconds. Only 8-bit 4:2:0 pictures are handled;
/// anything else is a <see cref="LibAvException"/>, and callers fall back to the ffmpeg process.
/// </summary>
public sealed unsafe class KeyFrameJpegEncoder
{
    private const int InputPadding = 64; // AV_INPUT_BUFFER_PADDING_SIZE: decoders may read this far past the end
    private static readonly byte[] LumaToFull = RangeTable(16, 219, 0);
    private static readonly byte[] ChromaToFull = RangeTable(128, 224, 128);
    private readonly LibAv _av;

    private KeyFrameJpegEncoder(LibAv av) => _av = av;

    /// <summary>The libavcodec in use, for the log.</summary>
    public string Library => _av.Name;

    /// <summary>An encoder on the OS's libavcodec, or null (with why) when none can be loaded.</summary>
    public static KeyFrameJpegEncoder? TryCreate(out string? why) => LibAv.TryLoad(out why) is { } av ? new KeyFrameJpegEncoder(av) : null;

    /// <param name="accessUnit">The key frame's access unit as the MPEG-TS carries it.</param>
    /// <param name="decoder">libavcodec's decoder name: <c>h264</c> or <c>hevc</c>.</param>
    /// <param name="quality">JPEG quantiser as ffmpeg's <c>-q:v</c> (2 best to 31 worst).</param>
    public byte[] Encode(ReadOnlySpan<byte> accessUnit, string decoder, int quality)
    {
        if (accessUnit.IsEmpty)
        {
            throw new LibAvException("no key frame to decode");
        }

        nint decoding = 0, encoding = 0, packet = 0, frame = 0;
        try
        {
            var codec = _av.Codec(_av.FindDecoderByName, decoder);
            decoding = _av.AllocContext(codec);
            _av.Set(decoding, "threads", "1"); // one picture: frame threads would only decode ahead
            LibAv.Check(_av.Open(decoding, codec, 0), $"opening the {decoder} decoder");

            packet = _av.PacketAlloc();
            Fill(packet, accessUnit);
            LibAv.Check(_av.SendPacket(decoding, packet), "sending the key frame");
            LibAv.Check(_av.SendPacket(decoding, 0), "flushing the decoder");
            frame = _av.FrameAlloc();
            LibAv.Check(_av.ReceiveFrame(decoding, frame), "decoding the key frame");

            var width = *(int*)(frame + LibAv.FrameWidth);
            var height = *(int*)(frame + LibAv.FrameHeight);
            var format = *(int*)(frame + LibAv.FrameFormat);
            if (format == LibAv.PixelFormatYuv420P)
            {
                // video range (16-235) to the full range a JPEG holds, as ffmpeg's scaler does on the way to yuvj420p
                LibAv.Check(_av.FrameMakeWritable(frame), "copying the picture");
                ToFullRange(frame, width, height);
                *(int*)(frame + LibAv.FrameFormat) = LibAv.PixelFormatYuvJ420P;
            }
            else if (format != LibAv.PixelFormatYuvJ420P)
            {
                throw new LibAvException($"pixel format {format} is not 8-bit 4:2:0");
            }

            var mjpeg = _av.Codec(_av.FindEncoderByName, "mjpeg");
            encoding = _av.AllocContext(mjpeg);
            _av.Set(encoding, "video_size", $"{width}x{height}");
            _av.Set(encoding, "pixel_format", "yuvj420p");
            _av.Set(encoding, "time_base", "1/25");
            _av.Set(encoding, "qmin", quality.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _av.Set(encoding, "qmax", quality.ToString(System.Globalization.CultureInfo.InvariantCulture));
            LibAv.Check(_av.Open(encoding, mjpeg, 0), "opening the JPEG encoder");
            LibAv.Check(_av.SendFrame(encoding, frame), "encoding the picture");
            LibAv.Check(_av.SendFrame(encoding, 0), "flushing the encoder");
            _av.PacketFree(&packet);
            packet = _av.PacketAlloc();
            LibAv.Check(_av.ReceivePacket(encoding, packet), "receiving the JPEG");
            var data = *(byte**)(packet + LibAv.PacketData);
            var size = *(int*)(packet + LibAv.PacketSize);
            return new ReadOnlySpan<byte>(data, size).ToArray();
        }
        finally
        {
            if (frame != 0)
            {
                _av.FrameFree(&frame);
            }

            if (packet != 0)
            {
                _av.PacketFree(&packet);
            }

            if (encoding != 0)
            {
                _av.FreeContext(&encoding);
            }

            if (decoding != 0)
            {
                _av.FreeContext(&decoding);
            }

            FreedMemory.Return();
        }
    }

    private void Fill(nint packet, ReadOnlySpan<byte> accessUnit)
    {
        var buffer = _av.Malloc((nuint)(accessUnit.Length + InputPadding));
        if (buffer == 0)
        {
            throw new LibAvException("out of memory");
        }

        var target = new Span<byte>((void*)buffer, accessUnit.Length + InputPadding);
        accessUnit.CopyTo(target);
        target[accessUnit.Length..].Clear();
        if (_av.PacketFromData(packet, buffer, accessUnit.Length) < 0)
        {
            _av.Free(buffer);
            throw new LibAvException("could not wrap the key frame in a packet");
        }
    }

    private static void ToFullRange(nint frame, int width, int height)
    {
        var planes = (byte**)frame;
        var strides = (int*)(frame + LibAv.FrameLinesize);
        Map(planes[0], strides[0], width, height, LumaToFull);
        Map(planes[1], strides[1], (width + 1) / 2, (height + 1) / 2, ChromaToFull);
        Map(planes[2], strides[2], (width + 1) / 2, (height + 1) / 2, ChromaToFull);
    }

    private static void Map(byte* plane, int stride, int width, int height, byte[] table)
    {
        fixed (byte* to = table)
        {
            for (var y = 0; y < height; y++)
            {
                var row = plane + ((long)y * stride);
                for (var end = row + width; row < end; row++)
                {
                    *row = to[*row];
                }
            }
        }
    }

    /// <summary>Maps a value of a video-range scale (centre or floor <paramref name="zero"/>, span <paramref name="span"/>) onto 0 to 255.</summary>
    private static byte[] RangeTable(int zero, int span, int offset)
    {
        var table = new byte[256];
        for (var v = 0; v < 256; v++)
        {
            table[v] = (byte)Math.Clamp((int)Math.Round(((v - zero) * 255.0 / span) + offset), 0, 255);
        }

        return table;
    }
}

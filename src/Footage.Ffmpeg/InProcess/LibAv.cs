using System.Runtime.InteropServices;

namespace Footage.Ffmpeg.InProcess;

/// <summary>
/// The dozen libavcodec/libavutil functions a key-frame picture needs, bound at run time from the shared libraries the
/// OS's ffmpeg package installs (the versions of FFmpeg 5 to 7). Hand-written because the usual binding (FFmpeg.AutoGen)
/// is not available to us and the rest of libav is not needed: codec contexts are configured by option name
/// (<c>av_opt_set</c>), so no structure layout is assumed but the leading fields of AVPacket and AVFrame, which have not
/// moved since FFmpeg 4.
/// </summary>
internal sealed unsafe class LibAv
{
    // AVPacket: AVBufferRef *buf; int64_t pts; int64_t dts; uint8_t *data; int size; ...
    public const int PacketData = 24;
    public const int PacketSize = 32;

    // AVFrame: uint8_t *data[8]; int linesize[8]; uint8_t **extended_data; int width, height; int nb_samples; int format; ...
    public const int FrameLinesize = 64;
    public const int FrameWidth = 104;
    public const int FrameHeight = 108;
    public const int FrameFormat = 116;

    public const int PixelFormatYuv420P = 0;
    public const int PixelFormatYuvJ420P = 12;
    public const int ErrorEof = -0x20464F45; // AVERROR_EOF, FFERRTAG('E','O','F',' ')
    public const int ErrorAgain = -11; // AVERROR(EAGAIN)
    private const int LogQuiet = -8;

    private static readonly (string Codec, string Util)[] Versions =
    [
        ("libavcodec.so.61", "libavutil.so.59"),
        ("libavcodec.so.60", "libavutil.so.58"),
        ("libavcodec.so.59", "libavutil.so.57"),
    ];

    private LibAv(nint codec, nint util, string name)
    {
        Name = name;
        FindDecoderByName = (delegate* unmanaged<byte*, nint>)NativeLibrary.GetExport(codec, "avcodec_find_decoder_by_name");
        FindEncoderByName = (delegate* unmanaged<byte*, nint>)NativeLibrary.GetExport(codec, "avcodec_find_encoder_by_name");
        AllocContext = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(codec, "avcodec_alloc_context3");
        Open = (delegate* unmanaged<nint, nint, nint, int>)NativeLibrary.GetExport(codec, "avcodec_open2");
        FreeContext = (delegate* unmanaged<nint*, void>)NativeLibrary.GetExport(codec, "avcodec_free_context");
        SendPacket = (delegate* unmanaged<nint, nint, int>)NativeLibrary.GetExport(codec, "avcodec_send_packet");
        ReceiveFrame = (delegate* unmanaged<nint, nint, int>)NativeLibrary.GetExport(codec, "avcodec_receive_frame");
        SendFrame = (delegate* unmanaged<nint, nint, int>)NativeLibrary.GetExport(codec, "avcodec_send_frame");
        ReceivePacket = (delegate* unmanaged<nint, nint, int>)NativeLibrary.GetExport(codec, "avcodec_receive_packet");
        PacketAlloc = (delegate* unmanaged<nint>)NativeLibrary.GetExport(codec, "av_packet_alloc");
        PacketFree = (delegate* unmanaged<nint*, void>)NativeLibrary.GetExport(codec, "av_packet_free");
        PacketFromData = (delegate* unmanaged<nint, nint, int, int>)NativeLibrary.GetExport(codec, "av_packet_from_data");
        FrameAlloc = (delegate* unmanaged<nint>)NativeLibrary.GetExport(util, "av_frame_alloc");
        FrameFree = (delegate* unmanaged<nint*, void>)NativeLibrary.GetExport(util, "av_frame_free");
        FrameMakeWritable = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(util, "av_frame_make_writable");
        Malloc = (delegate* unmanaged<nuint, nint>)NativeLibrary.GetExport(util, "av_malloc");
        Free = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(util, "av_free");
        OptSet = (delegate* unmanaged<nint, byte*, byte*, int, int>)NativeLibrary.GetExport(util, "av_opt_set");
        var setLogLevel = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(util, "av_log_set_level");
        // libav would write its messages to the server's stderr; every failure is reported by a return code instead
        setLogLevel(LogQuiet);
    }

    /// <summary>The libavcodec file that was loaded.</summary>
    public string Name { get; }

    public delegate* unmanaged<byte*, nint> FindDecoderByName { get; }

    public delegate* unmanaged<byte*, nint> FindEncoderByName { get; }

    public delegate* unmanaged<nint, nint> AllocContext { get; }

    public delegate* unmanaged<nint, nint, nint, int> Open { get; }

    public delegate* unmanaged<nint*, void> FreeContext { get; }

    public delegate* unmanaged<nint, nint, int> SendPacket { get; }

    public delegate* unmanaged<nint, nint, int> ReceiveFrame { get; }

    public delegate* unmanaged<nint, nint, int> SendFrame { get; }

    public delegate* unmanaged<nint, nint, int> ReceivePacket { get; }

    public delegate* unmanaged<nint> PacketAlloc { get; }

    public delegate* unmanaged<nint*, void> PacketFree { get; }

    public delegate* unmanaged<nint, nint, int, int> PacketFromData { get; }

    public delegate* unmanaged<nint> FrameAlloc { get; }

    public delegate* unmanaged<nint*, void> FrameFree { get; }

    public delegate* unmanaged<nint, int> FrameMakeWritable { get; }

    public delegate* unmanaged<nuint, nint> Malloc { get; }

    public delegate* unmanaged<nint, void> Free { get; }

    public delegate* unmanaged<nint, byte*, byte*, int, int> OptSet { get; }

    /// <summary>The newest pair of libavcodec and libavutil found, or null (with why) when none loads.</summary>
    public static LibAv? TryLoad(out string? why)
    {
        foreach (var (codecName, utilName) in Versions)
        {
            if (!NativeLibrary.TryLoad(codecName, out var codec))
            {
                continue;
            }

            if (!NativeLibrary.TryLoad(utilName, out var util))
            {
                NativeLibrary.Free(codec);
                continue;
            }

            try
            {
                why = null;
                return new LibAv(codec, util, codecName);
            }
            catch (EntryPointNotFoundException e)
            {
                why = $"{codecName}: {e.Message}";
                return null;
            }
        }

        why = "no libavcodec of FFmpeg 5 to 7 (libavcodec.so.59 to .61) was found";
        return null;
    }

    /// <summary>Sets an option of a libav object (a codec context) by name, as the ffmpeg command line does.</summary>
    public void Set(nint target, string name, string value)
    {
        var n = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        var v = System.Text.Encoding.ASCII.GetBytes(value + "\0");
        fixed (byte* pn = n, pv = v)
        {
            Check(OptSet(target, pn, pv, 0), $"option {name}={value}");
        }
    }

    public nint Codec(delegate* unmanaged<byte*, nint> find, string name)
    {
        var n = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* pn = n)
        {
            var codec = find(pn);
            return codec != 0 ? codec : throw new LibAvException($"no codec '{name}' in {Name}");
        }
    }

    public static int Check(int result, string what) =>
        result >= 0 ? result : throw new LibAvException($"{what} failed with error {result}");
}

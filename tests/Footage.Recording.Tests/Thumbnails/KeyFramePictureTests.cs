using CliWrap;
using CliWrap.Buffered;
using Footage.Ffmpeg.InProcess;
using Footage.Recording.Scanning;
using Footage.Recording.Spool;
using Footage.Recording.Thumbnails;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Footage.Recording.Tests.Thumbnails;

/// <summary>
/// The thumbnail's picture decoded inside the recorder with the OS's libavcodec: the key frame asked for, as ffmpeg's own
/// command line pictures it, for H.264 and H.265; what it cannot handle is refused, so the caller falls back to ffmpeg.
/// </summary>
public sealed class KeyFramePictureTests : IDisposable
{
    private readonly TempFolder _folder = new("key-frame-pictures");

    public void Dispose() => _folder.Dispose();

    private static KeyFrameJpegEncoder Encoder => KeyFrameJpegEncoder.TryCreate(out var why) ?? throw new InvalidOperationException(why);

    [Theory]
    [InlineData("libx264", 1280, 720, "h264")]
    [InlineData("libx265", 640, 360, "hevc")]
    public async Task The_picture_of_a_key_frame_is_the_one_ffmpeg_makes_of_that_frame(string codec, int width, int height, string decoder)
    {
        var ts = await MakeAsync("clip.ts", codec, width, height, "yuv420p");
        var scan = await TsScanner.ScanAsync(ts, TestContext.Current.CancellationToken);
        Assert.True(scan.Keyframes.Count >= 3);
        var keyframe = scan.Keyframes[2];

        var (unit, streamType) = await AccessUnitReader.ReadAsync(ts, keyframe.ByteOffset, TestContext.Current.CancellationToken);
        Assert.Equal(decoder == "hevc" ? 0x24 : 0x1B, streamType);
        var jpeg = Encoder.Encode(unit, decoder, 5);

        var ours = Path.Combine(_folder.Path, "ours.jpg");
        await File.WriteAllBytesAsync(ours, jpeg);
        Assert.Equal($"mjpeg,{width},{height}", await ProbeAsync(ours));
        // ffmpeg's picture of the same GOP, cut by the same index entry
        var gop = Path.Combine(_folder.Path, "gop.ts");
        var bytes = await File.ReadAllBytesAsync(ts);
        await File.WriteAllBytesAsync(gop, bytes[(int)keyframe.ByteOffset..(int)scan.Keyframes[3].ByteOffset]);
        var theirs = Path.Combine(_folder.Path, "theirs.jpg");
        await RunAsync("-i", gop, "-frames:v", "1", "-q:v", "5", theirs);
        var difference = MeanDifference(await GrayAsync(ours), await GrayAsync(theirs));
        Assert.True(difference < 3, $"the two pictures differ by {difference:F2} grey levels on average");
        // and it is that key frame, not the first one of the file: testsrc2 moves, so other frames differ clearly
        var first = Path.Combine(_folder.Path, "first.jpg");
        await RunAsync("-i", ts, "-frames:v", "1", "-q:v", "5", first);
        Assert.True(MeanDifference(await GrayAsync(ours), await GrayAsync(first)) > difference + 1, "the picture is of the key frame asked for");
    }

    [Fact]
    public async Task A_picture_that_is_not_8_bit_4_2_0_is_refused_so_that_ffmpeg_makes_it()
    {
        var ts = await MakeAsync("444.ts", "libx264", 320, 180, "yuv444p");
        var scan = await TsScanner.ScanAsync(ts, TestContext.Current.CancellationToken);
        var (unit, _) = await AccessUnitReader.ReadAsync(ts, scan.Keyframes[0].ByteOffset, TestContext.Current.CancellationToken);

        var refused = Assert.Throws<LibAvException>(() => Encoder.Encode(unit, "h264", 5));
        Assert.Contains("4:2:0", refused.Message, StringComparison.Ordinal);
        Assert.Throws<LibAvException>(() => Encoder.Encode([0, 0, 1, 0x65, 1, 2, 3], "h264", 5));
    }

    [Fact]
    public void A_camera_whose_decoding_the_recorder_did_not_survive_gets_its_thumbnails_from_ffmpeg_from_then_on()
    {
        var spool = new SpoolFolder(Path.Combine(_folder.Path, "spool"));
        var crashed = Guid.NewGuid();
        var other = Guid.NewGuid();
        var before = new InProcessDecodeGuard(spool, NullLogger<InProcessDecodeGuard>.Instance);
        Assert.True(before.AllowsInProcess(crashed));
        using (before.Decoding(other))
        {
        }

        // the process dies inside the decoder: the scope never ends
        _ = before.Decoding(crashed);

        var after = new InProcessDecodeGuard(spool, NullLogger<InProcessDecodeGuard>.Instance);
        Assert.False(after.AllowsInProcess(crashed));
        Assert.True(after.AllowsInProcess(other));
        Assert.False(new InProcessDecodeGuard(spool, NullLogger<InProcessDecodeGuard>.Instance).AllowsInProcess(crashed));
    }

    private async Task<string> MakeAsync(string name, string codec, int width, int height, string pixelFormat)
    {
        var path = Path.Combine(_folder.Path, name);
        string[] quiet = codec == "libx265" ? ["-x265-params", "log-level=error"] : [];
        await RunAsync(["-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=25", "-t", "4", "-c:v", codec, "-preset", "ultrafast",
            "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", pixelFormat, .. quiet, "-f", "mpegts", path]);
        return path;
    }

    private static async Task RunAsync(params string[] arguments)
    {
        var result = await Cli.Wrap("ffmpeg").WithArguments(["-hide_banner", "-nostdin", "-y", "-loglevel", "error", .. arguments])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    private static async Task<string> ProbeAsync(string path) =>
        (await Cli.Wrap("ffprobe").WithArguments(["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path]).ExecuteBufferedAsync()).StandardOutput.Trim();

    /// <summary>The picture scaled to 64x36 grey levels.</summary>
    private static async Task<byte[]> GrayAsync(string jpeg)
    {
        using var output = new MemoryStream();
        await Cli.Wrap("ffmpeg").WithArguments(["-hide_banner", "-nostdin", "-loglevel", "error", "-i", jpeg, "-vf", "scale=64:36,format=gray", "-f", "rawvideo", "pipe:1"])
            .WithStandardOutputPipe(PipeTarget.ToStream(output)).ExecuteAsync();
        return output.ToArray();
    }

    private static double MeanDifference(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b).Average(p => Math.Abs(p.First - p.Second));
    }
}

using CliWrap;
using CliWrap.Buffered;
using Footage.Ffmpeg;
using Footage.Ffmpeg.KeyFrames;
using Footage.Recording.Scanning;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Footage.Recording.Tests.Thumbnails;

/// <summary>
/// The thumbnail's picture decoded by the key-frame decoder process: the key frame asked for, as ffmpeg's own command line
/// pictures it, for H.264 and H.265 and pixel formats other than 4:2:0; what it cannot decode is refused and the process
/// goes on; the process has no environment, cannot open a file, and one that hangs or dies is replaced.
/// </summary>
public sealed class KeyFramePictureTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new("key-frame-pictures");
    private readonly KeyFrameDecoder _decoder = new(Options.Create(new FfmpegOptions()), NullLogger<KeyFrameDecoder>.Instance);

    public async ValueTask DisposeAsync()
    {
        await _decoder.DisposeAsync();
        _folder.Dispose();
    }

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
        var jpeg = await _decoder.EncodeAsync(unit, decoder == "hevc" ? KeyFrameCodec.H265 : KeyFrameCodec.H264, 5, TestContext.Current.CancellationToken);

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
    public async Task A_picture_in_4_4_4_is_decoded_and_garbage_is_refused_without_ending_the_process()
    {
        var ts = await MakeAsync("444.ts", "libx264", 320, 180, "yuv444p");
        var scan = await TsScanner.ScanAsync(ts, TestContext.Current.CancellationToken);
        var (unit, _) = await AccessUnitReader.ReadAsync(ts, scan.Keyframes[0].ByteOffset, TestContext.Current.CancellationToken);

        var jpeg = await _decoder.EncodeAsync(unit, KeyFrameCodec.H264, 5, TestContext.Current.CancellationToken);
        var ours = Path.Combine(_folder.Path, "444.jpg");
        await File.WriteAllBytesAsync(ours, jpeg, TestContext.Current.CancellationToken);
        Assert.Equal("mjpeg,320,180", await ProbeAsync(ours));
        var pid = _decoder.ProcessId;

        var refused = await Assert.ThrowsAsync<KeyFrameDecoderException>(() => _decoder.EncodeAsync(new byte[] { 0, 0, 1, 0x65, 1, 2, 3 }, KeyFrameCodec.H264, 5, TestContext.Current.CancellationToken));
        Assert.False(refused.ProcessEnded);
        Assert.Equal(pid, _decoder.ProcessId);
        Assert.Equal(jpeg.Length, (await _decoder.EncodeAsync(unit, KeyFrameCodec.H264, 5, TestContext.Current.CancellationToken)).Length);
        Assert.Equal(pid, _decoder.ProcessId);
    }

    [Fact]
    public async Task The_decoder_process_has_no_environment_and_cannot_open_a_file()
    {
        Environment.SetEnvironmentVariable("FOOTAGE_TEST_SECRET", "must-not-reach-the-decoder");
        var ts = await MakeAsync("clip.ts", "libx264", 320, 180, "yuv420p");
        var scan = await TsScanner.ScanAsync(ts, TestContext.Current.CancellationToken);
        var (unit, _) = await AccessUnitReader.ReadAsync(ts, scan.Keyframes[0].ByteOffset, TestContext.Current.CancellationToken);
        await _decoder.EncodeAsync(unit, KeyFrameCodec.H264, 5, TestContext.Current.CancellationToken);

        var pid = _decoder.ProcessId!.Value;
        Assert.Empty(await File.ReadAllBytesAsync($"/proc/{pid}/environ", TestContext.Current.CancellationToken));
        // seccomp mode 2 (a filter) on the running process
        Assert.Contains("Seccomp:\t2", await File.ReadAllTextAsync($"/proc/{pid}/status", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        // and the program's own proof: once confined, opening a file fails with EPERM
        var check = await Cli.Wrap(_decoder.ProgramPath).WithArguments(["--check-confinement"]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public async Task A_decoder_process_that_dies_is_replaced_at_the_next_picture()
    {
        var ts = await MakeAsync("clip.ts", "libx264", 320, 180, "yuv420p");
        var scan = await TsScanner.ScanAsync(ts, TestContext.Current.CancellationToken);
        var (unit, _) = await AccessUnitReader.ReadAsync(ts, scan.Keyframes[0].ByteOffset, TestContext.Current.CancellationToken);
        await _decoder.EncodeAsync(unit, KeyFrameCodec.H264, 5, TestContext.Current.CancellationToken);
        var first = _decoder.ProcessId!.Value;

        // a crash on a hostile frame, as the recorder would see it; the picture asked for after it
        // gets a fresh process (the request the crash interrupts fails with ProcessEnded, which the
        // recorder logs and skips, but when the kill lands is up to the OS, so it is not asserted here)
        using (var crashed = System.Diagnostics.Process.GetProcessById(first))
        {
            crashed.Kill();
            await crashed.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var again = await _decoder.EncodeAsync(unit, KeyFrameCodec.H264, 5, TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, again[..2]);
        Assert.NotEqual(first, _decoder.ProcessId);
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

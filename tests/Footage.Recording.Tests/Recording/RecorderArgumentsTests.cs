using Footage.Recording.Processes;
using Footage.Recording.Scanning;
using Footage.Recording.Spool;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// <see cref="RecordingOptions.FlushEveryPacket"/> against a real ffmpeg: on, what ffmpeg has muxed is in the open segment
/// at once; off, ffmpeg holds it until 256 KB have gathered or the segment closes, and the closed file is whole either way,
/// also when a stalled ffmpeg is ended with SIGTERM rather than 'q'.
/// </summary>
public sealed class RecorderArgumentsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Flushing_every_packet_puts_muxed_footage_into_the_open_segment_at_once(bool flushEveryPacket)
    {
        using var folder = new TempFolder("recorder-arguments");
        await using var ffmpeg = await StartDemoAsync(folder.Path, flushEveryPacket);
        var whileOpen = OpenSegmentLength(folder.Path);

        await ffmpeg.StopAsync(TimeSpan.FromSeconds(10));
        Assert.True(ffmpeg.ExitCode == 0, ffmpeg.StderrTail);

        var closed = new FileInfo(OpenSegment(folder.Path)).Length;
        Assert.InRange(closed, 50_000, 262_143);
        Assert.Equal(0, closed % 188);
        if (flushEveryPacket)
        {
            Assert.InRange(whileOpen, 20_000, closed);
        }
        else
        {
            Assert.Equal(0, whileOpen);
        }
    }

    [Fact]
    public async Task An_ffmpeg_ended_with_SIGTERM_writes_what_it_held_and_closes_its_segment()
    {
        using var folder = new TempFolder("recorder-sigterm");
        await using var ffmpeg = await StartDemoAsync(folder.Path, flushEveryPacket: false);

        // all of it is still in ffmpeg's buffer: SIGKILL would lose it
        Assert.Equal(0, OpenSegmentLength(folder.Path));

        await ffmpeg.TerminateAsync(TimeSpan.FromSeconds(10));

        Assert.True(ffmpeg.HasExited);
        var open = OpenSegment(folder.Path);
        var closed = new FileInfo(open).Length;
        Assert.InRange(closed, 50_000, 262_143);
        Assert.Equal(0, closed % 188);
        var scan = await TsScanner.ScanAsync(open, TestContext.Current.CancellationToken);
        Assert.True(scan.IsPlayable);
        Assert.Equal(closed, scan.ValidLength);
        Assert.Contains(SpoolFolder.SegmentFile(Run, 0), await File.ReadAllTextAsync(Path.Combine(folder.Path, SpoolFolder.ListFile(Run)), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("http")]
    public async Task The_recorders_ffmpeg_opens_no_url_but_rtsp_whatever_reaches_it(string scheme)
    {
        using var folder = new TempFolder("recorder-whitelist");
        // a readable MPEG-TS file, and an HTTP server that would serve it: opened, either would record
        var source = Path.Combine(folder.Path, "elsewhere.ts");
        await File.WriteAllBytesAsync(source, Enumerable.Repeat(new byte[] { 0x47, 0x1F, 0xFF, 0x10 }.Concat(new byte[184]).ToArray(), 64).SelectMany(p => p).ToArray(),
            TestContext.Current.CancellationToken);
        using var http = new System.Net.HttpListener();
        var port = FreePort.Next();
        http.Prefixes.Add($"http://127.0.0.1:{port}/");
        http.Start();
        var requests = 0;
        _ = Task.Run(async () =>
        {
            while (http.IsListening)
            {
                try
                {
                    var context = await http.GetContextAsync();
                    Interlocked.Increment(ref requests);
                    context.Response.ContentType = "video/mp2t";
                    await context.Response.OutputStream.WriteAsync(await File.ReadAllBytesAsync(source));
                    context.Response.Close();
                }
                catch (Exception) when (!http.IsListening)
                {
                }
            }
        }, TestContext.Current.CancellationToken);

        var url = scheme == "file" ? new Uri(source).AbsoluteUri : $"http://127.0.0.1:{port}/elsewhere.ts";
        await using var ffmpeg = RecorderProcess.Start("ffmpeg", RecorderArguments.ForRtsp(url, 60, Run, TimeSpan.FromSeconds(8), false), folder.Path, NullLogger.Instance, text => text);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!ffmpeg.HasExited)
        {
            await ffmpeg.WaitForReportAsync(TimeSpan.FromMilliseconds(200), timeout.Token);
        }

        Assert.NotEqual(0, ffmpeg.ExitCode);
        Assert.False(File.Exists(OpenSegment(folder.Path)), "ffmpeg recorded from a " + scheme + " URL");
        Assert.Equal(0, Volatile.Read(ref requests));
    }

    private const string Run = "r1";

    private static string OpenSegment(string folder) => Path.Combine(folder, SpoolFolder.SegmentFile(Run, 0));

    private static long OpenSegmentLength(string folder) => File.Exists(OpenSegment(folder)) ? new FileInfo(OpenSegment(folder)).Length : 0;

    /// <summary>The demo camera's ffmpeg, once it has muxed 2 s: about 100 KB at 400 kbit/s, less than ffmpeg's 256 KB file buffer.</summary>
    private static async Task<RecorderProcess> StartDemoAsync(string folder, bool flushEveryPacket)
    {
        var arguments = RecorderArguments.ForDemo(null, 60, Run, TimeSpan.FromSeconds(8), flushEveryPacket);
        var ffmpeg = RecorderProcess.Start("ffmpeg", arguments, folder, NullLogger.Instance, text => text);
        while (ffmpeg.OutTime is not { TotalSeconds: >= 2 })
        {
            Assert.False(ffmpeg.HasExited, ffmpeg.StderrTail);
            await ffmpeg.WaitForReportAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        }

        return ffmpeg;
    }
}

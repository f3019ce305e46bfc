using System.Diagnostics;
using System.Globalization;
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
        const string run = "r1";
        var arguments = RecorderArguments.ForDemo(null, 60, run, TimeSpan.FromSeconds(8), flushEveryPacket);
        var start = new ProcessStartInfo("ffmpeg") { WorkingDirectory = folder.Path, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var ffmpeg = Process.Start(start)!;
        var stderr = ffmpeg.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var open = Path.Combine(folder.Path, SpoolFolder.SegmentFile(run, 0));

        // 2 s of the demo camera's 400 kbit/s is about 100 KB: less than ffmpeg's 256 KB file buffer
        while (await ffmpeg.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (line.StartsWith("out_time_us=", StringComparison.Ordinal) && long.TryParse(line[12..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) && us >= 2_000_000)
            {
                break;
            }
        }

        var whileOpen = File.Exists(open) ? new FileInfo(open).Length : 0;
        await ffmpeg.StandardInput.WriteAsync('q');
        await ffmpeg.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
        await ffmpeg.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await ffmpeg.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(ffmpeg.ExitCode == 0, await stderr);

        var closed = new FileInfo(open).Length;
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
        const string run = "r1";
        var arguments = RecorderArguments.ForDemo(null, 60, run, TimeSpan.FromSeconds(8), flushEveryPacket: false);
        await using var ffmpeg = RecorderProcess.Start("ffmpeg", arguments, folder.Path, NullLogger.Instance, text => text);
        var open = Path.Combine(folder.Path, SpoolFolder.SegmentFile(run, 0));
        while (ffmpeg.OutTime is not { TotalSeconds: >= 2 })
        {
            Assert.False(ffmpeg.HasExited, ffmpeg.StderrTail);
            await ffmpeg.WaitForReportAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        }

        // all of it is still in ffmpeg's buffer: SIGKILL would lose it
        Assert.Equal(0, File.Exists(open) ? new FileInfo(open).Length : 0);

        await ffmpeg.TerminateAsync(TimeSpan.FromSeconds(10));

        Assert.True(ffmpeg.HasExited);
        var closed = new FileInfo(open).Length;
        Assert.InRange(closed, 50_000, 262_143);
        Assert.Equal(0, closed % 188);
        var scan = await TsScanner.ScanAsync(open, TestContext.Current.CancellationToken);
        Assert.True(scan.IsPlayable);
        Assert.Equal(closed, scan.ValidLength);
        Assert.Contains(SpoolFolder.SegmentFile(run, 0), await File.ReadAllTextAsync(Path.Combine(folder.Path, SpoolFolder.ListFile(run)), TestContext.Current.CancellationToken));
    }
}

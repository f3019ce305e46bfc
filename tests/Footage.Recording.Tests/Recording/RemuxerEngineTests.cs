using Footage.Recording.Processes;
using Footage.Recording.Remuxer;
using Footage.Recording.Scanning;
using Footage.Recording.Spool;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// <c>footage-recorder</c>, the remuxer engine, against a real RTSP camera: it reports its progress as ffmpeg does, and a stop
/// ('q' on stdin) or a SIGTERM (what a stalled run and an orphan get) closes the open segment with what it held, whole and
/// listed, where a SIGKILL would lose it.
/// </summary>
public sealed class RemuxerEngineTests
{
    private const string Run = "r1";

    [Theory]
    [InlineData("sigterm")]
    [InlineData("q")]
    public async Task A_stopped_footage_recorder_writes_what_it_held_and_closes_its_segment(string how)
    {
        await using var cameras = await CameraSimulator.StartAsync();
        using var folder = new TempFolder("remuxer-stop");
        var arguments = RemuxerArguments.ForRtsp(cameras.Url(1), RecordingPlan.Default, 60, Run, TimeSpan.FromSeconds(8), flushEveryPacket: false, Guid.NewGuid());
        await using var recorder = RecorderProcess.Start(Path.Combine(AppContext.BaseDirectory, RemuxerProgram.Name), arguments, folder.Path, NullLogger.Instance, text => text);
        while (recorder.OutTime is not { TotalSeconds: >= 2 })
        {
            Assert.False(recorder.HasExited, recorder.StderrTail);
            await recorder.WaitForReportAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        }

        // 2 s of a 300 kbit/s camera are all still in the muxer's 256 KB file buffer
        var open = Path.Combine(folder.Path, SpoolFolder.SegmentFile(Run, 0));
        Assert.Equal(0, File.Exists(open) ? new FileInfo(open).Length : 0);

        if (how == "q")
        {
            await recorder.StopAsync(TimeSpan.FromSeconds(10));
        }
        else
        {
            await recorder.TerminateAsync(TimeSpan.FromSeconds(10));
        }

        Assert.True(recorder.HasExited);
        Assert.Equal(how == "q" ? 0 : 255, recorder.ExitCode);
        var closed = new FileInfo(open).Length;
        Assert.InRange(closed, 20_000, 262_143);
        Assert.Equal(0, closed % 188);
        var scan = await TsScanner.ScanAsync(open, TestContext.Current.CancellationToken);
        Assert.True(scan.IsPlayable);
        Assert.Equal(closed, scan.ValidLength);
        var list = await File.ReadAllTextAsync(Path.Combine(folder.Path, SpoolFolder.ListFile(Run)), TestContext.Current.CancellationToken);
        Assert.StartsWith(SpoolFolder.SegmentFile(Run, 0) + ",0.000000,", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_set_to_the_remuxer_engine_without_its_program_refuses_to_start_and_says_why()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => FootageServer.StartAsync(DatabaseKind.Sqlite, null, new Dictionary<string, string?>
        {
            ["Footage:Recording:Engine"] = "remuxer",
            ["Footage:Recording:RemuxerPath"] = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), RemuxerProgram.Name),
        }));
        Assert.Contains("Footage:Recording:Engine is remuxer but footage-recorder was not found", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The programs recording a camera now, by the pid files of its runs in the spool.</summary>
    public static IReadOnlyList<string> RecordingPrograms(string spoolFolder) =>
        !Directory.Exists(spoolFolder) ? [] :
        Directory.GetFiles(spoolFolder, "*.pid")
            .Select(file => Path.Combine("/proc", File.ReadAllText(file).Trim(), "cmdline"))
            .Where(File.Exists)
            .Select(cmdline => Path.GetFileName(File.ReadAllText(cmdline).Split('\0')[0]))
            .ToArray();
}

using System.Diagnostics;
using Footage.Recording.Spool;
using Footage.Testing;
using Xunit;

namespace Footage.Recording.Tests.Spool;

/// <summary>
/// Stopping the ffmpeg a killed recorder left running: the stand-in is a shell whose command line names the run's
/// segment files, as ffmpeg's does, and which ignores SIGTERM, so only the SIGKILL after the grace period ends it. The
/// wait holds no thread (the task is pending while the orphan lives) and ends with the caller's token.
/// </summary>
public sealed class OrphanedRecordersTests : IDisposable
{
    private readonly TempFolder _folder = new("footage-orphans");
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        _folder.Dispose();
    }

    private Process Orphan(string run)
    {
        var process = Process.Start(new ProcessStartInfo("sh", ["-c", "trap '' TERM; while :; do sleep 0.2; done", SpoolFolder.SegmentPattern(run)]))!;
        _started.Add(process);
        OrphanedRecorders.Remember(_folder.Path, run, process.Id);
        return process;
    }

    [Fact]
    public async Task An_orphan_deaf_to_SIGTERM_is_killed_without_holding_a_thread_meanwhile()
    {
        var orphan = Orphan("run-a");
        var stopping = OrphanedRecorders.StopAsync(_folder.Path, "run-a", TestContext.Current.CancellationToken);
        Assert.False(stopping.IsCompleted, "the grace period is awaited, not blocked on");
        Assert.True(await stopping);
        Assert.True(orphan.HasExited);
    }

    [Fact]
    public async Task Cancelled_the_wait_ends_at_once_and_the_orphan_is_killed_rather_than_left_writing()
    {
        var orphan = Orphan("run-b");
        using var cancel = new CancellationTokenSource();
        var stopping = OrphanedRecorders.StopAsync(_folder.Path, "run-b", cancel.Token);
        Assert.False(stopping.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopping);
        await orphan.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_process_id_reused_by_another_program_is_never_signalled()
    {
        var orphan = Orphan("run-c");
        // the id is now another run's: the command line does not name run-d's files
        OrphanedRecorders.Remember(_folder.Path, "run-d", orphan.Id);
        Assert.False(await OrphanedRecorders.StopAsync(_folder.Path, "run-d", TestContext.Current.CancellationToken));
        Assert.False(orphan.HasExited);
        Assert.False(await OrphanedRecorders.StopAsync(_folder.Path, "no-such-run", TestContext.Current.CancellationToken));
    }
}

using System.Globalization;

namespace Footage.Recording.Spool;

/// <summary>
/// When the recorder is killed (SIGKILL, OOM) its ffmpeg children may outlive it and go on writing into
/// the spool. Each run records its ffmpeg's process id; recovery stops such an orphan before finishing the
/// run's files (SIGTERM, so that it writes what it holds; SIGKILL after 5 s, waited for without blocking a thread), checking the process's command line so that
/// a reused id is never signalled.
/// </summary>
public static class OrphanedRecorders
{
    public static string PidFile(string folder, string run) => Path.Combine(folder, run + ".pid");

    public static void Remember(string folder, string run, int processId) =>
        File.WriteAllText(PidFile(folder, run), processId.ToString(CultureInfo.InvariantCulture));

    public static void Forget(string folder, string run) => File.Delete(PidFile(folder, run));

    /// <summary>
    /// Ends the run's ffmpeg if it is still alive; true when it did. Waits without holding a thread; cancelled (the
    /// server stopping), it kills the orphan at once rather than leave it writing, and throws.
    /// </summary>
    public static async Task<bool> StopAsync(string folder, string run, CancellationToken cancellationToken)
    {
        // the pid file and /proc's command line are a few bytes each, read at once: nothing is awaited before the orphan is signalled
#pragma warning disable CA1849 // see the line above: a few bytes of a local file and of /proc, read before any await on purpose
        var pidFile = PidFile(folder, run);
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        System.Diagnostics.Process process;
        try
        {
            var commandLine = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "cmdline");
            if (!File.Exists(commandLine) || !File.ReadAllText(commandLine).Contains(SpoolFolder.SegmentPattern(run), StringComparison.Ordinal))
            {
                return false;
            }

            process = System.Diagnostics.Process.GetProcessById(pid);
#pragma warning restore CA1849
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return false;
        }

        using (process)
        {
            try
            {
                // SIGTERM first: ffmpeg then writes what it still holds and closes its segment; SIGKILL when it does not end
                if (!Processes.Sigterm.Send(pid) || !await ExitedAsync(process, cancellationToken))
                {
                    process.Kill();
                    await ExitedAsync(process, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                throw;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // it ended between the checks and the signal
            }
        }

        return true;
    }

    /// <summary>True when the process ends within 5 s.</summary>
    private static async Task<bool> ExitedAsync(System.Diagnostics.Process process, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static void Kill(System.Diagnostics.Process process)
    {
        try
        {
            process.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }
}

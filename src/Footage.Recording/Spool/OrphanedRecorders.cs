using System.Globalization;

namespace Footage.Recording.Spool;

/// <summary>
/// When the recorder is killed (SIGKILL, OOM) its ffmpeg children may outlive it and go on writing into
/// the spool. Each run records its ffmpeg's process id; recovery stops such an orphan before finishing the
/// run's files (SIGTERM, so that it writes what it holds; SIGKILL after 5 s), checking the process's command line so that
/// a reused id is never signalled.
/// </summary>
public static class OrphanedRecorders
{
    public static string PidFile(string folder, string run) => Path.Combine(folder, run + ".pid");

    public static void Remember(string folder, string run, int processId) =>
        File.WriteAllText(PidFile(folder, run), processId.ToString(CultureInfo.InvariantCulture));

    public static void Forget(string folder, string run) => File.Delete(PidFile(folder, run));

    /// <summary>Ends the run's ffmpeg if it is still alive; true when it did.</summary>
    public static bool Stop(string folder, string run)
    {
        var pidFile = PidFile(folder, run);
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        try
        {
            var commandLine = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "cmdline");
            if (!File.Exists(commandLine) || !File.ReadAllText(commandLine).Contains(SpoolFolder.SegmentPattern(run), StringComparison.Ordinal))
            {
                return false;
            }

            using var process = System.Diagnostics.Process.GetProcessById(pid);
            // SIGTERM first: ffmpeg then writes what it still holds and closes its segment; SIGKILL when it does not end
            if (!Processes.Sigterm.Send(pid) || !process.WaitForExit(5000))
            {
                process.Kill();
                process.WaitForExit(5000);
            }

            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

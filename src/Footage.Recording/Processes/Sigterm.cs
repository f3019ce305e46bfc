using System.Runtime.InteropServices;

namespace Footage.Recording.Processes;

/// <summary>
/// Asks a process to end with SIGTERM, which .NET's <see cref="System.Diagnostics.Process"/> cannot send (its Kill is
/// SIGKILL). ffmpeg ends on SIGTERM as on 'q', even while it waits for a stalled camera and reads no input: it writes what
/// it still holds and closes the open segment, where SIGKILL loses what it held (up to its 256 KB file buffer when
/// per-packet writes are off).
/// </summary>
internal static class Sigterm
{
    private const int SignalTerminate = 15;

    /// <summary>True when the signal was sent; false where there is no POSIX kill or the process is gone.</summary>
    public static bool Send(int processId)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return SendSignal(processId, SignalTerminate) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int processId, int signal);
}

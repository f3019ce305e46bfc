using System.Runtime.InteropServices;

namespace Footage.Ffmpeg.InProcess;

/// <summary>
/// Gives the memory libavcodec freed back to the OS. A picture's decoder allocates a few MB, on whichever thread-pool thread
/// runs it; glibc keeps freed blocks in that thread's arena for reuse, so the recorder would slowly hold tens of MB it does
/// not use (measured: about 45 MB at 50 cameras). malloc_trim returns them; it exists only in glibc, so elsewhere this is a
/// no-op.
/// </summary>
internal static class FreedMemory
{
    private static bool s_unavailable = !OperatingSystem.IsLinux();

    public static void Return()
    {
        if (Volatile.Read(ref s_unavailable))
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref s_unavailable, true);
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}

using System.Runtime.InteropServices;
using System.Text;

namespace Footage.Storage.Backends;

/// <summary>link(2): a second name for a file on the same filesystem, without copying a byte (.NET has no API for it).</summary>
internal static class HardLinks
{
    /// <summary>False when the system cannot link here (another filesystem, Windows, a filesystem without links): the caller copies instead.</summary>
    public static bool TryCreate(string existing, string link)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return false;
        }

        return Link(NullTerminated(existing), NullTerminated(link)) == 0;
    }

    private static byte[] NullTerminated(string path) => Encoding.UTF8.GetBytes(path + '\0');

    // byte arrays of UTF-8 rather than strings: no string marshalling, no unsafe code
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link(byte[] existing, byte[] link);
}

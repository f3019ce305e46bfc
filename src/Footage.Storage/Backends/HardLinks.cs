using System.Runtime.InteropServices;
using System.Text;

namespace Footage.Storage.Backends;

/// <summary>link(2): a second name for a file on the same filesystem, without copying a byte (.NET has no API for it).</summary>
internal static class HardLinks
{
    private const int EEXIST = 17;
    private const int ENOENT = 2;

    /// <summary>What <see cref="Create"/> did.</summary>
    public enum Result
    {
        Created,

        /// <summary>Something already has the link's name; nothing was replaced (link(2) never replaces).</summary>
        Exists,

        /// <summary>A folder of the link's name is missing.</summary>
        MissingFolder,

        /// <summary>The system cannot link here (another filesystem, Windows, a filesystem without links): copy instead.</summary>
        NotSupported,
    }

    /// <summary>False when the system cannot link here (another filesystem, Windows, a filesystem without links): the caller copies instead.</summary>
    public static bool TryCreate(string existing, string link) => Create(existing, link) == Result.Created;

    public static Result Create(string existing, string link)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return Result.NotSupported;
        }

        if (Link(NullTerminated(existing), NullTerminated(link)) == 0)
        {
            return Result.Created;
        }

        return Marshal.GetLastPInvokeError() switch
        {
            EEXIST => Result.Exists,
            ENOENT when File.Exists(existing) => Result.MissingFolder,
            ENOENT => throw new FileNotFoundException($"Cannot link '{existing}': it does not exist.", existing),
            _ => Result.NotSupported,
        };
    }

    private static byte[] NullTerminated(string path) => Encoding.UTF8.GetBytes(path + '\0');

    // byte arrays of UTF-8 rather than strings: no string marshalling, no unsafe code
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link(byte[] existing, byte[] link);
}

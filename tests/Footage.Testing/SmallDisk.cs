using System.Diagnostics;

namespace Footage.Testing;

/// <summary>
/// A size-limited filesystem (tmpfs) mounted on a folder, for tests of a full disk; unmounted on dispose. Mounting needs
/// root: where it is refused, <see cref="MountAsync"/> says why and the test skips.
/// </summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    /// <summary>The mounted disk, or null and what mount said.</summary>
    public static async Task<(SmallDisk? Disk, string? Refused)> MountAsync(string path, long bytes)
    {
        Directory.CreateDirectory(path);
        return await RunAsync("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path) is { } refused ? (null, refused) : (new SmallDisk(path), null);
    }

    public async ValueTask DisposeAsync() => await RunAsync("umount", "-l", Path);

    /// <summary>Null when the command succeeded, else what it said.</summary>
    private static async Task<string?> RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : error.Trim();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}

using System.Diagnostics;

namespace Footage.Bench.Recording.Density;

/// <summary>
/// One recording design running on the bench's cameras: its processes (found again at each look, so that children that
/// come and go are counted), the bytes it has recorded for each camera so far, and how to stop it.
/// </summary>
public sealed class DesignRun(string key, string name, Func<int[]> processes, Func<Task<long[]>> recordedBytes, Func<ValueTask> stop) : IAsyncDisposable
{
    public string Key { get; } = key;

    public string Name { get; } = name;

    /// <summary>The process ids of the design now.</summary>
    public int[] Processes() => processes();

    /// <summary>Bytes recorded so far, one figure per camera.</summary>
    public Task<long[]> RecordedBytesAsync() => recordedBytes();

    /// <summary>A design of plain processes writing one folder per camera.</summary>
    /// <param name="withChildren">The processes' children are the design's too (a parent that forks a process per camera).</param>
    public static DesignRun OfProcesses(string key, string name, IReadOnlyList<Process> started, IReadOnlyList<string> cameraFolders, bool withChildren = false) =>
        new(key, name, () => started.Where(p => !p.HasExited).SelectMany(p => withChildren ? [p.Id, .. ProcessSampler.Children(p.Id)] : new[] { p.Id }).ToArray(),
            () => Task.FromResult(cameraFolders.Select(FolderBytes).ToArray()),
            async () =>
            {
                foreach (var process in started)
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }

                    await process.WaitForExitAsync();
                    process.Dispose();
                }
            });

    public ValueTask DisposeAsync() => stop();

    private static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*.ts").Sum(f => f.Length) : 0;
}

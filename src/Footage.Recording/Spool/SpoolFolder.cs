using System.Globalization;
using System.IO.Enumeration;

namespace Footage.Recording.Spool;

/// <summary>
/// Names in a camera's spool folder. Each ffmpeg run has a name (<c>r{unix ms}</c>); its files are
/// <c>{run}-000001.ts</c>..., its segment list <c>{run}.csv</c> and its wall-clock anchor <c>{run}.anchor</c>.
/// </summary>
public sealed class SpoolFolder(string root)
{
    public string Root { get; } = root;

    public string RejectedRoot => Path.Combine(Root, "rejected");

    public string CameraFolder(Guid cameraId)
    {
        var folder = Path.Combine(Root, cameraId.ToString("D"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public IEnumerable<Guid> Cameras() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).Select(n => Guid.TryParse(n, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)
            : [];

    public static string NewRunName(DateTimeOffset now) =>
        "r" + now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public static string SegmentPattern(string run) => run + "-%06d.ts";

    /// <summary>The name the muxer gives the run's file number <paramref name="index"/> (counted from 0).</summary>
    public static string SegmentFile(string run, int index) => run + "-" + index.ToString("D6", CultureInfo.InvariantCulture) + ".ts";

    /// <summary>The number of a run's segment file, -1 when the name is not one.</summary>
    public static int IndexOf(string tsFile)
    {
        var name = Path.GetFileNameWithoutExtension(tsFile);
        var dash = name.LastIndexOf('-');
        return dash >= 0 && int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
    }

    public static string ListFile(string run) => run + ".csv";

    public static string RunOf(string tsFile)
    {
        var name = Path.GetFileName(tsFile);
        var dash = name.IndexOf('-');
        return dash < 0 ? Path.GetFileNameWithoutExtension(name) : name[..dash];
    }

    public static IEnumerable<string> SegmentFiles(string folder, string run) =>
        Directory.EnumerateFiles(folder, run + "-*.ts").Order(StringComparer.Ordinal);

    /// <summary>Runs that left files in the folder (their segment lists, anchors or segments).</summary>
    public static IEnumerable<string> Runs(string folder) =>
        Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .Where(n => n is not null && n.StartsWith('r') && (n.EndsWith(".csv", StringComparison.Ordinal) || n.EndsWith(".anchor", StringComparison.Ordinal) || n.EndsWith(".pid", StringComparison.Ordinal) || n.EndsWith(".ts", StringComparison.Ordinal)))
            .Select(n => RunOf(n!).Split('.')[0])
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// Runs whose end was not finished: their segment list, anchor or process id file is still there (finishing removes
    /// them last). A live run has them too; only the camera's own recorder, between runs, may take them as left over.
    /// </summary>
    public static IEnumerable<string> UnfinishedRuns(string folder) =>
        Directory.EnumerateFiles(folder, "r*.*")
            .Select(Path.GetFileName)
            .Where(n => n is not null && (n.EndsWith(".csv", StringComparison.Ordinal) || n.EndsWith(".anchor", StringComparison.Ordinal) || n.EndsWith(".pid", StringComparison.Ordinal)))
            .Select(n => n![..n!.IndexOf('.', StringComparison.Ordinal)])
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// Bytes waiting in a camera's spool folder. Files are uploaded and deleted while this runs: an enumerated entry's length
    /// is read without throwing when it is gone (a <see cref="FileInfo"/> would stat it later and throw), and a folder removed
    /// meanwhile counts as empty.
    /// </summary>
    public long Bytes(Guid cameraId)
    {
        var folder = Path.Combine(Root, cameraId.ToString("D"));
        try
        {
            var sizes = new FileSystemEnumerable<long>(folder, (ref entry) => entry.Length)
            {
                ShouldIncludePredicate = (ref entry) => !entry.IsDirectory && entry.FileName.EndsWith(".ts", StringComparison.Ordinal),
            };
            return sizes.Sum();
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Free bytes on the disk under the spool.</summary>
    public long FreeBytes()
    {
        Directory.CreateDirectory(Root);
        return new DriveInfo(Root).AvailableFreeSpace;
    }
}

using System.Globalization;

namespace Footage.Recording.Spool;

/// <summary>
/// One line of ffmpeg's csv segment list (<c>file,start,end</c>), written when the muxer closes the file;
/// the times are seconds from the start of the run, continuous from one segment to the next.
/// </summary>
public sealed record SegmentListEntry(string File, double Start, double End)
{
    public static IReadOnlyList<SegmentListEntry> ReadAll(string listPath)
    {
        string text;
        try
        {
            using var stream = new FileStream(listPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return []; // never written, or the finished run's list removed while it was being looked at
        }

        var entries = new List<SegmentListEntry>();
        // only complete lines: ffmpeg may be half-way through writing the last one
        var complete = text[..(text.LastIndexOf('\n') + 1)];
        foreach (var line in complete.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParse(line, out var entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    public static bool TryParse(string line, out SegmentListEntry entry)
    {
        entry = null!;
        var parts = line.Split(',');
        if (parts.Length < 3 ||
            !double.TryParse(parts[^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var start) ||
            !double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var end))
        {
            return false;
        }

        var file = string.Join(',', parts[..^2]).Trim('"');
        entry = new SegmentListEntry(Path.GetFileName(file), start, end);
        return true;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Footage.Bench.Capacity;

/// <summary>
/// The per-camera and per-row figures measured by the other benchmarks, read from their sections of docs/benchmarks.md,
/// so that the model follows the latest measurements. A figure that is not found stops the model with its name.
/// </summary>
public sealed partial class MeasuredFigures
{
    private const string RecordingSection = "## Recording: recorder against bare ffmpeg";
    private const string CatalogSection = "## Segments catalog";
    private const string SearchSection = "## Metadata search";

    public required Figure RecordedCameras { get; init; }
    public required Figure RecordedBitrateMbps { get; init; }
    public required Figure RecordedSegmentSeconds { get; init; }
    public required Figure CpuPercentPerCamera { get; init; }
    public required Figure FfmpegMbPerCamera { get; init; }
    public required Figure ServerOwnMbPerCamera { get; init; }
    public required Figure ServerIdleMb { get; init; }
    public required Figure CatalogRows { get; init; }
    public required Figure HeapAndIndexBytesPerRow { get; init; }
    public required Figure KeyframeIndexBytesPerRow { get; init; }
    public required Figure KeyframeIndexEntries { get; init; }
    public required Figure RegistrationsPerSecondOneClient { get; init; }
    public required Figure RegistrationsPerSecondEightClients { get; init; }
    public required Figure IncidentCreatesPerSecond { get; init; }

    public IEnumerable<Figure> All =>
    [
        RecordedCameras, RecordedBitrateMbps, RecordedSegmentSeconds, CpuPercentPerCamera, FfmpegMbPerCamera, ServerOwnMbPerCamera, ServerIdleMb,
        CatalogRows, HeapAndIndexBytesPerRow, KeyframeIndexBytesPerRow, KeyframeIndexEntries, RegistrationsPerSecondOneClient,
        RegistrationsPerSecondEightClients, IncidentCreatesPerSecond,
    ];

    public static MeasuredFigures Read(string benchmarksMarkdown)
    {
        var recording = Section(benchmarksMarkdown, RecordingSection);
        var catalog = Section(benchmarksMarkdown, CatalogSection);
        var search = Section(benchmarksMarkdown, SearchSection);

        // the row of the most cameras (per-camera figures are least blurred by one-off costs there), from the section's
        // last table when it holds several (the newest run, e.g. a quiet rerun after loaded ones)
        var row = RecordingRow().Matches(recording).Select(m => m.Groups).OrderBy(g => Number(g["cameras"].Value)).LastOrDefault()
                  ?? throw Missing("the recording table's rows", RecordingSection);
        var cameras = Number(row["cameras"].Value);
        var recordingSource = $"docs/benchmarks.md, \"{RecordingSection[3..]}\", the {cameras:0}-camera row";
        var bitrate = Number(Find(BitrateText(), recording, "the cameras' bitrate", RecordingSection));
        var segment = Number(Find(SegmentText(), recording, "the benchmark's segment length", RecordingSection));

        var rows = Number(Find(RowsText(), catalog, "the number of rows loaded", CatalogSection));
        var size = SizeText().Match(catalog);
        if (!size.Success)
        {
            throw Missing("the table, index and TOAST sizes after the load", CatalogSection);
        }

        var indexed = Number(Find(IndexedRowsText(), catalog, "the rows loaded with a key-frame index", CatalogSection));
        var entries = Number(Find(EntriesText(), catalog, "the entries of a key-frame index", CatalogSection));
        var catalogSource = $"docs/benchmarks.md, \"{CatalogSection[3..]} (PostgreSQL, ...)\"";
        return new MeasuredFigures
        {
            RecordedCameras = new("cameras in the recording measurement", cameras, "", recordingSource),
            RecordedBitrateMbps = new("their bitrate", bitrate, "Mbit/s", recordingSource),
            RecordedSegmentSeconds = new("their segment length", segment, "s", recordingSource),
            CpuPercentPerCamera = new("recorder CPU per camera (server + its ffmpeg)", Number(row["cpu"].Value) / cameras, "% of a core", recordingSource),
            FfmpegMbPerCamera = new("ffmpeg memory per camera (PSS)", Number(row["pss"].Value), "MB", recordingSource),
            ServerOwnMbPerCamera = new("server's own memory per camera", Number(row["own"].Value), "MB", recordingSource),
            ServerIdleMb = new("server memory when idle (PSS)", Number(row["idle"].Value), "MB", recordingSource),
            CatalogRows = new("segment rows in the catalog measurement", rows, "", catalogSource),
            HeapAndIndexBytesPerRow = new("catalog bytes per segment row (table + indexes)",
                (Number(size.Groups["table"].Value) + Number(size.Groups["indexes"].Value)) * 1024 * 1024 / rows, "B", catalogSource),
            KeyframeIndexBytesPerRow = new("key-frame index per segment row (TOAST, compressed)",
                Number(size.Groups["toast"].Value) * 1024 * 1024 / indexed, "B", catalogSource + $": TOAST over the {indexed:N0} rows that have one"),
            KeyframeIndexEntries = new("entries of those key-frame indexes", entries, "", catalogSource),
            RegistrationsPerSecondOneClient = new("segment registrations per second, HTTP API, 1 client",
                Number(Find(ApiRegistrations(1), catalog, "the HTTP API's registration rate (1 client)", CatalogSection)), "/s", catalogSource),
            RegistrationsPerSecondEightClients = new("segment registrations per second, HTTP API, 8 clients",
                Number(Find(ApiRegistrations(8), catalog, "the HTTP API's registration rate (8 clients)", CatalogSection)), "/s", catalogSource),
            IncidentCreatesPerSecond = new("incident creations per second, 1 client",
                Number(Find(IncidentCreates(), search, "the incident creation rate", SearchSection)), "/s", $"docs/benchmarks.md, \"{SearchSection[3..]} ...\""),
        };
    }

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/benchmarks.md has no section \"{heading}\"");
        }

        var end = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    private static string Find(Regex pattern, string text, string what, string section) =>
        pattern.Match(text) is { Success: true } match ? match.Groups[1].Value : throw Missing(what, section);

    private static InvalidOperationException Missing(string what, string section) =>
        new($"docs/benchmarks.md, section \"{section[3..]}\": {what} not found; the model reads its inputs from there");

    private static double Number(string text) => double.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static Regex ApiRegistrations(int clients) =>
        new($@"\|\s*new segment\s*\|\s*HTTP API\s*\|\s*{clients}\s*\|\s*[\d,]+\s*\|\s*([\d,.]+)\s*\|", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^\|\s*(?<cameras>\d+)\s*\|(?:\s*[\d.]+\s*\|)?\s*(?<cpu>[\d.]+)\s*%[^|]*\|[^|]*\|[^|]*\|\s*(?<pss>[\d.]+)\s*MB\s*\|[^|]*\|\s*(?<idle>[\d.]+)\s*→[^|]*\|\s*(?<own>[\d.]+)\s*MB\s*\|", RegexOptions.Multiline)]
    private static partial Regex RecordingRow();

    [GeneratedRegex(@"at ([\d.]+) Mbit/s")]
    private static partial Regex BitrateText();

    [GeneratedRegex(@"Segment length: (\d+) s")]
    private static partial Regex SegmentText();

    [GeneratedRegex(@"\*\*Data\.\*\* ([\d,]+) segment rows")]
    private static partial Regex RowsText();

    [GeneratedRegex(@"Size after the load: table (?<table>[\d.]+) MB, indexes (?<indexes>[\d.]+) MB, TOAST \(key-frame indexes\) (?<toast>[\d.]+) MB")]
    private static partial Regex SizeText();

    [GeneratedRegex(@"newest \d+ day\(s\) \(([\d,]+) rows\)")]
    private static partial Regex IndexedRowsText();

    [GeneratedRegex(@"Key-frame index: ([\d,]+) entries")]
    private static partial Regex EntriesText();

    [GeneratedRegex(@"\|\s*one client\s*\|\s*([\d,  ]+?)\s*\|")]
    private static partial Regex IncidentCreates();
}

using System.Globalization;
using System.Text.Json;

namespace Footage.Bench.Capacity;

/// <summary>
/// The per-camera and per-row figures measured by the other benchmarks, read from the results files they write beside
/// themselves (<c>bench/{bench}/results.json</c>: every run with its date and conditions), so that the model follows the
/// newest measurements. The recording figures are the newest row of the most cameras (per-camera figures are least blurred
/// by one-off costs there) among runs with default server settings; the catalog and search figures the newest run's. A
/// figure that is not found stops the model with its name.
/// </summary>
public sealed class MeasuredFigures
{
    public const string RecordingBench = "Footage.Bench.Recording";
    public const string CatalogBench = "Footage.Bench.Catalog";
    public const string SearchBench = "Footage.Bench.Search";
    public const string ResultsFile = "results.json";

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

    /// <summary>Reads the three benches' results files under <paramref name="benchFolder"/> (the repository's <c>bench</c>).</summary>
    public static MeasuredFigures Read(string benchFolder)
    {
        using var recordingFile = Open(benchFolder, RecordingBench);
        using var catalogFile = Open(benchFolder, CatalogBench);
        using var searchFile = Open(benchFolder, SearchBench);

        var (recordingRun, row) = Runs(recordingFile.RootElement, RecordingBench)
            .Where(r => !r.TryGetProperty("conditions", out var c) || !c.TryGetProperty("server_settings", out var s) || s.GetArrayLength() == 0)
            .SelectMany(r => Array(r, "rows", RecordingBench).Select(row => (Run: r, Row: row)))
            .OrderBy(x => Number(x.Row, "cameras", RecordingBench)).ThenBy(x => MeasuredAt(x.Run, RecordingBench))
            .LastOrDefault();
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw Missing("a row measured with default server settings", RecordingBench);
        }

        var cameras = Number(row, "cameras", RecordingBench);
        var recordingSource = $"bench/{RecordingBench}/{ResultsFile}, the {cameras:0}-camera row of {MeasuredAt(recordingRun, RecordingBench):yyyy-MM-dd HH:mm} UTC";

        var catalogRun = Newest(catalogFile.RootElement, CatalogBench);
        var rows = Number(catalogRun, "rows", CatalogBench);
        var size = Object(catalogRun, "size_after_load_mb", CatalogBench);
        var indexed = Number(catalogRun, "rows_with_keyframe_index", CatalogBench);
        var registrations = Object(catalogRun, "registrations_per_second", CatalogBench);
        var catalogSource = $"bench/{CatalogBench}/{ResultsFile}, the run of {MeasuredAt(catalogRun, CatalogBench):yyyy-MM-dd HH:mm} UTC";

        var searchRun = Newest(searchFile.RootElement, SearchBench);
        var searchSource = $"bench/{SearchBench}/{ResultsFile}, the run of {MeasuredAt(searchRun, SearchBench):yyyy-MM-dd HH:mm} UTC";
        return new MeasuredFigures
        {
            RecordedCameras = new("cameras in the recording measurement", cameras, "", recordingSource),
            RecordedBitrateMbps = new("their bitrate", Number(recordingRun, "camera_bitrate_mbps", RecordingBench), "Mbit/s", recordingSource),
            RecordedSegmentSeconds = new("their segment length", Number(recordingRun, "segment_seconds", RecordingBench), "s", recordingSource),
            CpuPercentPerCamera = new("recorder CPU per camera (server + its ffmpeg)", Number(row, "cpu_ours_percent", RecordingBench) / cameras, "% of a core", recordingSource),
            FfmpegMbPerCamera = new("ffmpeg memory per camera (PSS)", Number(row, "ffmpeg_pss_mb_ours", RecordingBench), "MB", recordingSource),
            ServerOwnMbPerCamera = new("server's own memory per camera", Number(row, "own_memory_mb_per_camera", RecordingBench), "MB", recordingSource),
            ServerIdleMb = new("server memory when idle (PSS)", Number(row, "server_pss_idle_mb", RecordingBench), "MB", recordingSource),
            CatalogRows = new("segment rows in the catalog measurement", rows, "", catalogSource),
            HeapAndIndexBytesPerRow = new("catalog bytes per segment row (table + indexes)",
                (Number(size, "table", CatalogBench) + Number(size, "indexes", CatalogBench)) * 1024 * 1024 / rows, "B", catalogSource),
            KeyframeIndexBytesPerRow = new("key-frame index per segment row (TOAST, compressed)",
                Number(size, "toast", CatalogBench) * 1024 * 1024 / indexed, "B", catalogSource + $": TOAST over the {indexed:N0} rows that have one"),
            KeyframeIndexEntries = new("entries of those key-frame indexes", Number(catalogRun, "keyframe_index_entries", CatalogBench), "", catalogSource),
            RegistrationsPerSecondOneClient = new("segment registrations per second, HTTP API, 1 client",
                Number(registrations, "http_api_1_client", CatalogBench), "/s", catalogSource),
            RegistrationsPerSecondEightClients = new("segment registrations per second, HTTP API, 8 clients",
                Number(registrations, "http_api_8_clients", CatalogBench), "/s", catalogSource),
            IncidentCreatesPerSecond = new("incident creations per second, 1 client",
                Number(Object(searchRun, "incident_creates_per_second", SearchBench), "1_client", SearchBench), "/s", searchSource),
        };
    }

    private static JsonDocument Open(string benchFolder, string bench)
    {
        var path = Path.Combine(benchFolder, bench, ResultsFile);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"bench/{bench}/{ResultsFile} not found: the model reads its inputs from there (run that benchmark)");
        }

        return JsonDocument.Parse(File.ReadAllText(path));
    }

    private static JsonElement[] Runs(JsonElement root, string bench) => Array(root, "runs", bench);

    /// <summary>The run measured last, wherever it stands in the file.</summary>
    private static JsonElement Newest(JsonElement root, string bench) =>
        Runs(root, bench).OrderBy(r => MeasuredAt(r, bench)).LastOrDefault() is { ValueKind: JsonValueKind.Object } run ? run : throw Missing("a run", bench);

    private static DateTimeOffset MeasuredAt(JsonElement run, string bench) =>
        run.TryGetProperty("measured_at", out var at) && at.ValueKind == JsonValueKind.String &&
        DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : throw Missing("measured_at of a run", bench);

    private static JsonElement[] Array(JsonElement element, string name, string bench) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().ToArray() : throw Missing(name, bench);

    private static JsonElement Object(JsonElement element, string name, string bench) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : throw Missing(name, bench);

    private static double Number(JsonElement element, string name, string bench) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Missing(name, bench);

    private static InvalidOperationException Missing(string what, string bench) =>
        new($"bench/{bench}/{ResultsFile}: {what} not found; the model reads its inputs from there");
}

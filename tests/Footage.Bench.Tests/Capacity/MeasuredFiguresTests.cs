using System.Text.Json.Nodes;
using Footage.Bench.Capacity;
using Footage.Testing;
using Xunit;

namespace Footage.Bench.Tests.Capacity;

/// <summary>
/// The capacity model reads its measured inputs from the benches' results files: the newest run wherever it stands in the
/// file (not the first or last row of a document), the recording row of the most cameras, never a variant's.
/// </summary>
public sealed class MeasuredFiguresTests : IDisposable
{
    private readonly TempFolder _bench = new("footage-bench-results");

    public void Dispose() => _bench.Dispose();

    private static JsonObject RecordingRun(string at, int cameras, double cpu, string[]? settings = null) => new()
    {
        ["measured_at"] = at,
        ["command"] = "test",
        ["conditions"] = new JsonObject { ["cores"] = 2, ["server_settings"] = new JsonArray((settings ?? []).Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()) },
        ["segment_seconds"] = 60,
        ["camera_bitrate_mbps"] = 2,
        ["rows"] = new JsonArray(new JsonObject
        {
            ["cameras"] = cameras, ["cpu_ours_percent"] = cpu, ["ffmpeg_pss_mb_ours"] = 12.6, ["own_memory_mb_per_camera"] = 1.0, ["server_pss_idle_mb"] = 67,
        }),
    };

    private static JsonObject CatalogRun(string at, double apiOneClient) => new()
    {
        ["measured_at"] = at,
        ["rows"] = 1_080_000,
        ["rows_with_keyframe_index"] = 84_000,
        ["keyframe_index_entries"] = 1800,
        ["size_after_load_mb"] = new JsonObject { ["table"] = 258, ["indexes"] = 238, ["toast"] = 1771 },
        ["registrations_per_second"] = new JsonObject { ["http_api_1_client"] = apiOneClient, ["http_api_8_clients"] = 302 },
    };

    private static JsonObject SearchRun(string at, double oneClient) => new()
    {
        ["measured_at"] = at, ["incident_creates_per_second"] = new JsonObject { ["1_client"] = oneClient, ["8_clients"] = 1000 },
    };

    private void Write(string bench, params JsonObject[] runs)
    {
        Directory.CreateDirectory(Path.Combine(_bench.Path, bench));
        File.WriteAllText(Path.Combine(_bench.Path, bench, MeasuredFigures.ResultsFile), new JsonObject { ["runs"] = new JsonArray(runs) }.ToJsonString());
    }

    [Fact]
    public void The_newest_run_is_read_wherever_it_stands_in_the_file_and_a_variant_or_a_smaller_run_is_not()
    {
        Write(MeasuredFigures.RecordingBench,
            RecordingRun("2026-12-06T21:17:00Z", 50, 17.1),
            RecordingRun("2026-12-07T09:00:00Z", 10, 3.5),
            RecordingRun("2026-12-07T10:00:00Z", 50, 99.0, ["--Footage:Recording:FlushEveryPacket=true"]),
            RecordingRun("2026-12-03T18:03:00Z", 50, 35.7));
        Write(MeasuredFigures.CatalogBench, CatalogRun("2026-12-05T10:00:00Z", 150), CatalogRun("2026-11-24T13:50:00Z", 139));
        Write(MeasuredFigures.SearchBench, SearchRun("2026-12-03T09:37:00Z", 700), SearchRun("2026-11-24T12:00:00Z", 490));

        var figures = MeasuredFigures.Read(_bench.Path);

        Assert.Equal(17.1 / 50, figures.CpuPercentPerCamera.Value, 6);
        Assert.Contains("2026-12-06 21:17", figures.CpuPercentPerCamera.Source, StringComparison.Ordinal);
        Assert.Equal(50, figures.RecordedCameras.Value);
        Assert.Equal(150, figures.RegistrationsPerSecondOneClient.Value);
        Assert.Equal(700, figures.IncidentCreatesPerSecond.Value);
    }

    [Fact]
    public void A_missing_figure_stops_the_model_with_its_name()
    {
        Write(MeasuredFigures.RecordingBench, RecordingRun("2026-12-06T21:17:00Z", 50, 17.1));
        Write(MeasuredFigures.CatalogBench, CatalogRun("2026-12-05T10:00:00Z", 150));
        var search = SearchRun("2026-12-03T09:37:00Z", 700);
        search.Remove("incident_creates_per_second");
        Write(MeasuredFigures.SearchBench, search);

        var error = Assert.Throws<InvalidOperationException>(() => MeasuredFigures.Read(_bench.Path));
        Assert.Contains("incident_creates_per_second", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The committed files: the model takes the newest row of the most cameras, as a plain reading of the file finds it.</summary>
    [Fact]
    public void The_committed_results_give_the_newest_recording_row_of_the_most_cameras()
    {
        var bench = Path.Combine(RepositoryPaths.Root, "bench");
        var runs = JsonNode.Parse(File.ReadAllText(Path.Combine(bench, MeasuredFigures.RecordingBench, MeasuredFigures.ResultsFile)))!["runs"]!.AsArray();
        var rows = runs.Select(r => r!.AsObject())
            .Where(r => r["conditions"]?["server_settings"] is not JsonArray { Count: > 0 })
            .SelectMany(r => r["rows"]!.AsArray().Select(row => (At: DateTimeOffset.Parse(r["measured_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                Cameras: row!["cameras"]!.GetValue<double>(), Cpu: row["cpu_ours_percent"]!.GetValue<double>())))
            .ToArray();
        var most = rows.Max(r => r.Cameras);
        var newest = rows.Where(r => r.Cameras == most).MaxBy(r => r.At);

        var figures = MeasuredFigures.Read(bench);

        Assert.Equal(newest.Cpu / most, figures.CpuPercentPerCamera.Value, 6);
        Assert.All(figures.All, f => Assert.True(double.IsFinite(f.Value) && f.Value > 0, $"{f.Name}: {f.Value}"));
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Footage.Bench.Results;

namespace Footage.Bench.Catalog;

/// <summary>A full run's figures as a run of <c>bench/Footage.Bench.Catalog/results.json</c>, which the capacity model reads.</summary>
public static class ResultsFile
{
    public static Task<string> AppendAsync(BenchmarkResults r, CancellationToken cancellationToken)
    {
        static double Mb(long bytes) => Math.Round(bytes / 1048576.0, 1);
        double? Rate(string name, string path, int workers) =>
            r.Registrations.FirstOrDefault(m => m.Name == name && m.Path == path && m.Workers == workers) is { } m ? Math.Round(m.PerSecond) : null;
        var conditions = BenchResults.Conditions($"load average at the start {r.LoadAverageAtStart}, at the end {r.LoadAverageAtEnd}");
        conditions["postgres"] = $"{r.PostgresVersion}, " + string.Join(", ", r.PostgresSettings.Select(s => $"{s.Name}={s.Value}"));
        var registrations = new JsonObject
        {
            ["repository_1_client"] = Rate("new segment", "repository", 1),
            ["repository_8_clients"] = Rate("new segment", "repository", r.Options.Writers),
            ["http_api_1_client"] = Rate("new segment", "HTTP API", 1),
            ["http_api_8_clients"] = Rate("new segment", "HTTP API", r.Options.Writers),
        };
        return BenchResults.AppendAsync("Footage.Bench.Catalog", new JsonObject
        {
            ["measured_at"] = r.RunAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["command"] = r.Command,
            ["conditions"] = conditions,
            ["rows"] = r.Rows,
            ["rows_with_keyframe_index"] = r.KeyframeRows,
            ["keyframe_index_entries"] = SyntheticSegments.KeyframesPerSegment,
            ["size_after_load_mb"] = new JsonObject
            {
                ["table"] = Mb(r.SizeAfterLoadBytes.Table), ["indexes"] = Mb(r.SizeAfterLoadBytes.Indexes), ["toast"] = Mb(r.SizeAfterLoadBytes.Toast),
            },
            ["registrations_per_second"] = registrations,
        }, cancellationToken);
    }
}

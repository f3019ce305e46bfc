using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Testing;

namespace Footage.Bench.Evidence;

/// <summary>
/// What "who watched what" costs a live player: the real host (SQLite, filesystem) serves the same playlist to one viewer
/// again and again, as a player refreshes it, once with viewings coalesced (the default) and once with every request an
/// entry of its own (<c>CoalesceWithin</c> 0); the rows written and the latency of each request.
/// </summary>
public static class AccessAuditBenchmark
{
    public static async Task<string> RunAsync(int requests)
    {
        var coalesced = await MeasureAsync(requests, null);
        var every = await MeasureAsync(requests, "00:00:00");
        return $"""

                {requests} playlist requests of one camera by one viewer, one after the other, after {WarmUp} more to warm up (real host, SQLite)
                | viewings | audit rows written (all {requests + WarmUp} requests) | requests/s | p50 ms | p99 ms |
                |---|---:|---:|---:|---:|
                | coalesced (default) | {coalesced.Rows} | {coalesced.PerSecond:N0} | {coalesced.P50:N2} | {coalesced.P99:N2} |
                | one entry per request | {every.Rows} | {every.PerSecond:N0} | {every.P50:N2} | {every.P99:N2} |
                p50 ratio (one entry per request / coalesced): {every.P50 / coalesced.P50:N2}
                """;
    }

    private const int WarmUp = 20;

    private sealed record Result(int Rows, double PerSecond, double P50, double P99);

    private static async Task<Result> MeasureAsync(int requests, string? coalesceWithin)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Footage:Security:AccessAudit:CoalesceWithin"] = coalesceWithin,
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: settings);
        var camera = Guid.NewGuid();
        var start = TimeProvider.System.GetUtcNow().AddHours(-1);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond));
        using var folder = new TempFolder("footage-bench-access");
        var file = await TestMedia.MakeTsAsync(Path.Combine(folder.Path, "segment.ts"), 10);
        var bytes = await File.ReadAllBytesAsync(file);
        var key = ObjectKeys.ForSegment(camera, start);
        await server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), null, CancellationToken.None);
        (await server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = camera, start_time = start, end_time = start.AddSeconds(10), size_bytes = bytes.Length, storage_path = key,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)), keyframes = await TestMedia.KeyframesAsync(file),
        })).EnsureSuccessStatusCode();
        var viewer = await server.ClientAsync("viewer");
        var url = $"api/v1/playback/{camera}/hls?from={start.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}&to={start.AddSeconds(10).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}";
        for (var i = 0; i < WarmUp; i++)
        {
            (await viewer.GetAsync(url)).EnsureSuccessStatusCode(); // warm-up
        }

        var latencies = new List<double>(requests);
        var all = Stopwatch.GetTimestamp();
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            (await viewer.GetAsync(url)).EnsureSuccessStatusCode();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var elapsed = Stopwatch.GetElapsedTime(all).TotalSeconds;
        var entries = await server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/access?camera_id={camera}&limit=1000");
        latencies.Sort();
        return new Result(entries.GetArrayLength(), requests / elapsed, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
    }
}

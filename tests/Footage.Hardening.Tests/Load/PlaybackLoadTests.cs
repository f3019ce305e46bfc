using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Time;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Load;

/// <summary>
/// Many API clients and HLS viewers at once against the host while it records the demo camera: every request
/// answers (no 5xx, no transport error) and the recorder keeps recording, its footage as continuous under load as
/// in a quiet period of the same length measured just before. Latency percentiles are reported, not asserted (the
/// machine is shared). <c>Footage__Hardening__Long=true</c> runs 2 minutes with more clients.
/// </summary>
public sealed class PlaybackLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Guid Camera = new("00000000-0000-4000-8000-00000000d0d0");
    private static readonly bool Long = string.Equals(Environment.GetEnvironmentVariable("Footage__Hardening__Long"), "true", StringComparison.OrdinalIgnoreCase);
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
    {
        ["Footage:Recording:DemoCamera:Enabled"] = "true",
        ["Footage:Recording:SegmentSeconds"] = "2",
        ["Footage:Recording:ThumbnailSeconds"] = "10",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Concurrent_api_clients_and_hls_viewers_are_all_answered_and_recording_goes_on_as_before()
    {
        var phase = TimeSpan.FromSeconds(Long ? 120 : 10);
        var apiClients = Long ? 32 : 12;
        var viewers = Long ? 16 : 6;
        var viewer = await _server.ClientAsync("viewer");
        await WaitForFootageAsync(viewer, TimeSpan.FromSeconds(6));

        var quietStart = DateTimeOffset.UtcNow;
        await Task.Delay(phase);
        var quietEnd = DateTimeOffset.UtcNow;

        var recorder = new LatencyRecorder();
        using var stop = new CancellationTokenSource(phase);
        var loadStart = DateTimeOffset.UtcNow;
        var workers = Enumerable.Range(0, apiClients).Select(i => ApiClientAsync(viewer, i, recorder, stop.Token))
            .Concat(Enumerable.Range(0, viewers).Select(_ => ViewerAsync(viewer, recorder, stop.Token)))
            .ToArray();
        await Task.WhenAll(workers);
        var loadEnd = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(6)); // the segments of the last seconds are closed and registered

        var quiet = await CoverageAsync(viewer, quietStart, quietEnd);
        var load = await CoverageAsync(viewer, loadStart, loadEnd);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{apiClients} API clients + {viewers} HLS viewers for {phase.TotalSeconds:F0} s: {recorder.Requests} requests, {recorder.Errors} errors, {recorder.Bytes / 1e6:F1} MB served"));
        foreach (var line in recorder.Report())
        {
            output.WriteLine("  " + line);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recording, quiet: {quiet.Seconds:F1} s of footage in {quiet.Segments} segments over {(quietEnd - quietStart).TotalSeconds:F1} s, largest gap {quiet.LargestGap:F2} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recording, load:  {load.Seconds:F1} s of footage in {load.Segments} segments over {(loadEnd - loadStart).TotalSeconds:F1} s, largest gap {load.LargestGap:F2} s"));

        Assert.True(recorder.Errors == 0, $"{recorder.Errors} failed requests: {string.Join("; ", recorder.ErrorSamples)}");
        Assert.True(recorder.Requests > apiClients * 10, $"only {recorder.Requests} requests were made");
        var quietRate = quiet.Seconds / (quietEnd - quietStart).TotalSeconds;
        var loadRate = load.Seconds / (loadEnd - loadStart).TotalSeconds;
        Assert.True(loadRate >= quietRate * 0.9, $"under load the recorder stored {loadRate:P0} of the time, {quietRate:P0} when quiet");
        Assert.True(load.LargestGap <= Math.Max(1.0, quiet.LargestGap * 2), $"a gap of {load.LargestGap:F2} s in the footage recorded under load");
    }

    private static async Task ApiClientAsync(HttpClient client, int index, LatencyRecorder recorder, CancellationToken stop)
    {
        string[] paths =
        [
            "api/v1/cameras", "api/v1/recording/status", $"api/v1/recording/status/{Camera}", "api/v1/auth/me",
            $"api/v1/storage/segments/{Camera}?limit=50", "api/v1/metadata/search?q=gate", "api/v1/storage/exports",
        ];
        var i = index;
        while (!stop.IsCancellationRequested)
        {
            var path = paths[i++ % paths.Length];
            if (path.Contains("segments/", StringComparison.Ordinal) && i % 2 == 0)
            {
                var now = DateTimeOffset.UtcNow;
                path = $"api/v1/playback/{Camera}/segments?from={Uri.EscapeDataString(Instants.ToIso(now.AddMinutes(-5)))}&to={Uri.EscapeDataString(Instants.ToIso(now))}";
            }

            await TimedAsync(client, path.Split('?')[0].Replace(Camera.ToString(), "{camera}", StringComparison.Ordinal), path, recorder, stop);
        }
    }

    private static async Task ViewerAsync(HttpClient client, LatencyRecorder recorder, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            var playlistPath = $"api/v1/playback/{Camera}/hls?from={Uri.EscapeDataString(Instants.ToIso(now.AddSeconds(-40)))}&to={Uri.EscapeDataString(Instants.ToIso(now.AddSeconds(-4)))}";
            var playlist = await TimedAsync(client, "playlist", playlistPath, recorder, stop);
            foreach (var media in (playlist ?? "").Split('\n').Where(l => l.StartsWith("m/", StringComparison.Ordinal)).Distinct())
            {
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                await TimedAsync(client, "media", $"api/v1/playback/{Camera}/{media.Trim()}", recorder, stop);
            }
        }
    }

    private static async Task<string?> TimedAsync(HttpClient client, string kind, string path, LatencyRecorder recorder, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(path, stop);
            var body = await response.Content.ReadAsByteArrayAsync(stop);
            if ((int)response.StatusCode >= 500 || (!response.IsSuccessStatusCode && kind != "playlist"))
            {
                recorder.Fail(kind, $"{(int)response.StatusCode} {path}");
                return null;
            }

            recorder.Record(kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds, body.Length);
            return response.IsSuccessStatusCode ? System.Text.Encoding.UTF8.GetString(body) : null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null; // the phase ended mid-request
        }
        catch (HttpRequestException e)
        {
            recorder.Fail(kind, e.Message);
            return null;
        }
    }

    private static async Task WaitForFootageAsync(HttpClient client, TimeSpan seconds)
    {
        for (var i = 0; i < 240; i++)
        {
            var now = DateTimeOffset.UtcNow;
            var coverage = await CoverageAsync(client, now.AddMinutes(-5), now);
            if (coverage.Seconds >= seconds.TotalSeconds)
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail("the demo camera recorded nothing in 2 minutes");
    }

    /// <summary>Seconds of footage stored within [from, to) and the largest hole between consecutive segments there.</summary>
    private static async Task<(double Seconds, int Segments, double LargestGap)> CoverageAsync(HttpClient client, DateTimeOffset from, DateTimeOffset to)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(
            $"api/v1/storage/segments/{Camera}?from={Uri.EscapeDataString(Instants.ToIso(from.AddSeconds(-5)))}&to={Uri.EscapeDataString(Instants.ToIso(to.AddSeconds(5)))}&limit=1000");
        var spans = page.GetProperty("items").EnumerateArray()
            .Select(s => (Start: s.GetProperty("start_time").GetDateTimeOffset(), End: s.GetProperty("end_time").GetDateTimeOffset()))
            .OrderBy(s => s.Start).ToArray();
        double seconds = 0;
        double largestGap = 0;
        var count = 0;
        DateTimeOffset? previousEnd = null;
        foreach (var (start, end) in spans)
        {
            var clippedStart = start < from ? from : start;
            var clippedEnd = end > to ? to : end;
            if (clippedEnd > clippedStart)
            {
                seconds += (clippedEnd - clippedStart).TotalSeconds;
                count++;
            }

            if (previousEnd is { } p && start > from && start < to)
            {
                largestGap = Math.Max(largestGap, (start - p).TotalSeconds);
            }

            previousEnd = end;
        }

        return (seconds, count, largestGap);
    }
}

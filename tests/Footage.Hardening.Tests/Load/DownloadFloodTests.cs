using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.ServiceDefaults.Work;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Load;

/// <summary>
/// 50 downloads of 6 hours each, asked for at once by 25 callers while the host records the demo camera: the work limits
/// (4 at once, 2 per caller) admit 4 and refuse the others with 429 and <c>Retry-After</c> before any footage is copied;
/// the admitted ones are whole 6-hour MP4s; scratch never holds more than its quota and no more ffmpeg processes run than
/// the limits allow; and the recorder's footage of those minutes is as complete as in a quiet period just before.
/// Affordable in CI: the 6 hours are six copies of one small hour (160x90, one picture a second, about 10 MB).
/// </summary>
public sealed class DownloadFloodTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Callers = 25;
    private const int MaxConcurrent = 4;
    private const int MaxPerCaller = 2;
    private static readonly Guid DemoCamera = new("00000000-0000-4000-8000-00000000d0d0");
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _media = new("download-flood");
    private readonly Guid _camera = Guid.NewGuid();
    private FootageServer _server = null!;
    private long _hourBytes;

    public async ValueTask InitializeAsync()
    {
        var hour = Path.Combine(_media.Path, "hour.ts");
        var made = await Cli.Wrap("ffmpeg").WithArguments(
            ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=1", "-t", "3600",
             "-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-g", "10", "-keyint_min", "10", "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-f", "mpegts", hour])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(made.ExitCode == 0, made.StandardError);
        _hourBytes = new FileInfo(hour).Length;
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Recording:DemoCamera:Enabled"] = "true",
            ["Footage:Recording:SegmentSeconds"] = "2",
            ["Footage:Recording:ThumbnailSeconds"] = "10",
            ["Footage:Work:MaxConcurrent"] = MaxConcurrent.ToString(CultureInfo.InvariantCulture),
            ["Footage:Work:MaxPerCaller"] = MaxPerCaller.ToString(CultureInfo.InvariantCulture),
            // room for the four admitted downloads' sources and a little more
            ["Footage:Work:ScratchQuotaBytes"] = (_hourBytes * 6 * MaxConcurrent + (64L << 20)).ToString(CultureInfo.InvariantCulture),
            ["Footage:Work:ScratchMinFreeBytes"] = "0",
        });

        var bytes = await File.ReadAllBytesAsync(hour);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var keyframes = await TestMedia.KeyframesAsync(hour);
        for (var i = 0; i < 6; i++)
        {
            var start = T0.AddHours(i);
            var key = ObjectKeys.ForSegment(_camera, start);
            await _server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), checksum, CancellationToken.None);
            var registered = await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
            {
                camera_id = _camera, start_time = start, end_time = start.AddHours(1), size_bytes = bytes.Length, storage_path = key, checksum, keyframes,
            });
            await registered.AssertJsonAsync(HttpStatusCode.Created);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _media.Dispose();
    }

    [Fact]
    public async Task Fifty_six_hour_downloads_at_once_admit_what_the_limits_allow_and_the_recorder_records_on()
    {
        var viewer = await _server.ClientAsync("viewer");
        await WaitForFootageAsync(viewer);
        var keys = new List<string>();
        for (var i = 0; i < Callers; i++)
        {
            var created = await (await _server.Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = $"downloader {i}", role = "viewer" })).AssertJsonAsync(HttpStatusCode.Created);
            keys.Add(created.GetProperty("key").GetString()!);
        }

        var quietStart = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
        var quietEnd = DateTimeOffset.UtcNow;

        // what the machine holds while the flood lasts, sampled every 50 ms
        var limiter = _server.Get<WorkLimiter>();
        long mostReserved = 0;
        var mostFfmpeg = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                mostReserved = Math.Max(mostReserved, limiter.Reserved);
                mostFfmpeg = Math.Max(mostFfmpeg, FfmpegChildren());
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);

        var floodStart = DateTimeOffset.UtcNow;
        var url = $"api/v1/playback/download?camera_id={_camera}&from={Uri.EscapeDataString(Instants.ToIso(T0))}&to={Uri.EscapeDataString(Instants.ToIso(T0.AddHours(6)))}";
        var clients = keys.Select(k => _server.CreateClient(k)).ToArray();
        var requests = Enumerable.Range(0, Callers * 2).Select(i => (Caller: i % Callers, Response: clients[i % Callers].GetAsync(url, HttpCompletionOption.ResponseHeadersRead))).ToArray();
        await Task.WhenAll(requests.Select(r => r.Response));
        var answers = requests.Select(r => (r.Caller, Response: r.Response.Result)).ToArray();

        var admitted = answers.Where(a => a.Response.StatusCode == HttpStatusCode.OK).ToArray();
        var refused = answers.Where(a => a.Response.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        output.WriteLine($"{answers.Length} downloads of 6 h: {admitted.Length} admitted, {refused.Length} refused with 429; " +
                         $"scratch at most {mostReserved / 1e6:F1} MB reserved, at most {mostFfmpeg} ffmpeg processes");
        Assert.Equal(answers.Length, admitted.Length + refused.Length);
        Assert.Equal(MaxConcurrent, admitted.Length);
        Assert.All(admitted.GroupBy(a => a.Caller), g => Assert.True(g.Count() <= MaxPerCaller));
        foreach (var (_, response) in refused)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "a 429 without Retry-After");
        }

        // every admitted download is the whole 6 hours
        var saved = new List<string>();
        foreach (var (caller, response) in admitted)
        {
            var path = Path.Combine(_media.Path, $"download-{saved.Count}.mp4");
            await using (var file = File.Create(path))
            {
                await (await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)).CopyToAsync(file, TestContext.Current.CancellationToken);
            }

            saved.Add(path);
        }

        await sampling.CancelAsync();
        await sampler;
        var floodEnd = DateTimeOffset.UtcNow;
        foreach (var path in saved)
        {
            Assert.InRange(await TestMedia.ProbeDurationAsync(path), 6 * 3600 - 10, 6 * 3600 + 10);
        }

        Assert.True(mostReserved <= _hourBytes * 6 * MaxConcurrent + (64L << 20), $"scratch reservations reached {mostReserved} bytes, above the quota");
        // the four downloads' ffmpeg, the demo camera's, and a thumbnail's at most
        Assert.True(mostFfmpeg <= MaxConcurrent + 2, $"{mostFfmpeg} ffmpeg processes ran at once");
        Assert.Empty(Directory.EnumerateFileSystemEntries(limiter.ScratchRoot));
        Assert.Equal(0, limiter.Reserved);

        // with room on the server, one caller still gets two at once and no third
        using var one = _server.CreateClient(keys[0]);
        var three = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => one.GetAsync(url, HttpCompletionOption.ResponseHeadersRead)));
        Assert.Equal(MaxPerCaller, three.Count(r => r.StatusCode == HttpStatusCode.OK));
        var own = three.Single(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains("This caller", (await own.AssertProblemAsync(HttpStatusCode.TooManyRequests)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        foreach (var response in three)
        {
            response.Dispose();
        }

        // the recorder kept recording through it: footage as continuous as in the quiet period before
        await Task.Delay(TimeSpan.FromSeconds(6), TestContext.Current.CancellationToken);
        var quiet = await CoverageAsync(viewer, quietStart, quietEnd);
        var flood = await CoverageAsync(viewer, floodStart, floodEnd);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recording, quiet: {quiet.Seconds:F1} s of {(quietEnd - quietStart).TotalSeconds:F1} s (largest gap {quiet.LargestGap:F2} s); " +
            $"during the downloads: {flood.Seconds:F1} s of {(floodEnd - floodStart).TotalSeconds:F1} s (largest gap {flood.LargestGap:F2} s)"));
        var quietRate = quiet.Seconds / (quietEnd - quietStart).TotalSeconds;
        var floodRate = flood.Seconds / (floodEnd - floodStart).TotalSeconds;
        Assert.True(floodRate >= quietRate * 0.9, $"during the downloads the recorder stored {floodRate:P0} of the time, {quietRate:P0} when quiet");
        Assert.True(flood.LargestGap <= Math.Max(1.0, quiet.LargestGap * 2), $"a gap of {flood.LargestGap:F2} s in the footage recorded during the downloads");
        var status = await viewer.GetFromJsonAsync<JsonElement>($"api/v1/recording/status/{DemoCamera}", TestContext.Current.CancellationToken);
        Assert.Equal("RECORDING", status.GetProperty("state").GetString());
    }

    /// <summary>ffmpeg processes that are children of this test process (the host runs in it).</summary>
    private static int FfmpegChildren()
    {
        var parent = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                if (name == "ffmpeg" && fields[1] == parent)
                {
                    count++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                // not a process, or it ended meanwhile
            }
        }

        return count;
    }

    private static async Task WaitForFootageAsync(HttpClient client)
    {
        for (var i = 0; i < 240; i++)
        {
            var now = DateTimeOffset.UtcNow;
            if ((await CoverageAsync(client, now.AddMinutes(-5), now)).Seconds >= 6)
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail("the demo camera recorded nothing in 2 minutes");
    }

    /// <summary>Seconds of the demo camera's footage stored within [from, to) and the largest hole between consecutive segments there.</summary>
    private static async Task<(double Seconds, double LargestGap)> CoverageAsync(HttpClient client, DateTimeOffset from, DateTimeOffset to)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(
            $"api/v1/storage/segments/{DemoCamera}?from={Uri.EscapeDataString(Instants.ToIso(from.AddSeconds(-5)))}&to={Uri.EscapeDataString(Instants.ToIso(to.AddSeconds(5)))}&limit=1000");
        var spans = page.GetProperty("items").EnumerateArray()
            .Select(s => (Start: s.GetProperty("start_time").GetDateTimeOffset(), End: s.GetProperty("end_time").GetDateTimeOffset()))
            .OrderBy(s => s.Start).ToArray();
        double seconds = 0;
        double largestGap = 0;
        DateTimeOffset? previousEnd = null;
        foreach (var (start, end) in spans)
        {
            var clippedStart = start < from ? from : start;
            var clippedEnd = end > to ? to : end;
            if (clippedEnd > clippedStart)
            {
                seconds += (clippedEnd - clippedStart).TotalSeconds;
            }

            if (previousEnd is { } p && start > p && start > from && p < to)
            {
                largestGap = Math.Max(largestGap, (start - p).TotalSeconds);
            }

            previousEnd = end;
        }

        return (seconds, largestGap);
    }
}

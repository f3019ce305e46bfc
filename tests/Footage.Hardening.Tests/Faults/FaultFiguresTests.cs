using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;
using static Footage.Hardening.Tests.Faults.FaultRun;

namespace Footage.Hardening.Tests.Faults;

/// <summary>
/// A camera records through a fault (the camera, object storage or the database gone for a while) and the run is
/// measured: segments the recorder wrote (seen in its spool) against segments stored, seconds and bytes stored, gaps,
/// duplicates and the time to recover. Captured footage must all be stored, byte for byte, once. The CI run uses
/// 5-second outages and 4 kills of the recorder's ffmpeg; <c>Footage__Hardening__Long=true</c> adds 60-second and 10-minute
/// outages and kills ffmpeg 10 times. The recorder process itself killed, the disk filled and clock jumps have classes of their own.
/// </summary>
public sealed class FaultFiguresTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Outages()
    {
        var data = new TheoryData<string, int> { { "camera", 5 }, { "object-storage", 5 }, { "database", 5 } };
        if (Long)
        {
            foreach (var seconds in new[] { 60, 600 })
            {
                data.Add("camera", seconds);
                data.Add("object-storage", seconds);
                data.Add("database", seconds);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task Footage_captured_through_an_outage_is_all_stored_once(string fault, int seconds)
    {
        await using var camera = await CameraSimulator.StartAsync();
        await using var s3 = fault == "object-storage" ? new RadosGateway() : null;
        await using var postgres = fault == "database" ? new PostgresServer { Durable = true } : null;
        var settings = FastSettings();
        if (s3 is not null)
        {
            await s3.InitializeAsync();
            foreach (var (key, value) in s3.S3Settings(s3.Identities.Storage))
            {
                settings[key] = value;
            }

            settings["Footage:Storage:DefaultBackend"] = "s3";
        }

        if (postgres is not null)
        {
            await postgres.InitializeAsync();
        }

        var logs = new CapturedLogs();
        settings["Logging:LogLevel:Footage"] = "Information";
        await using var server = await FootageServer.StartAsync(postgres is null ? DatabaseKind.Sqlite : DatabaseKind.Postgres, postgres, settings,
            s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(s, logs));
        var created = await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "fault " + fault, rtsp_url = camera.Url(1) })).AssertJsonAsync(HttpStatusCode.Created);
        var cameraId = created.GetProperty("id").GetGuid();
        var spool = Path.Combine(server.DataDirectory, "spool", cameraId.ToString("D"));
        await using var watcher = new SpoolWatcher(spool);
        await (await server.Admin.PostAsync($"api/v1/recording/start/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.Accepted);
        await WaitUntilAsync(async () => (await SegmentsAsync(server, cameraId)).Count >= 2, "two segments are stored");

        var down = DateTimeOffset.UtcNow;
        switch (fault)
        {
            case "camera": camera.Stop(); break;
            case "object-storage": await s3!.StopGatewayAsync(); break;
            default: await postgres!.StopAsync(); break;
        }

        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var up = DateTimeOffset.UtcNow;
        switch (fault)
        {
            case "camera": await camera.StartAsync(); break;
            case "object-storage": await s3!.StartGatewayAsync(); break;
            default: await postgres!.StartAgainAsync(); break;
        }

        // recovered: for the camera, footage after its return is stored; for storage and database, the backlog is gone
        var clock = Stopwatch.StartNew();
        if (fault == "camera")
        {
            await WaitUntilAsync(async () => (await SegmentsAsync(server, cameraId)).Any(s => s.StartTime >= up), "footage after the camera's return is stored", () => RecorderLog(logs));
        }
        else
        {
            await WaitUntilAsync(() => Task.FromResult(Directory.GetFiles(spool, "*.ts.json").Length == 0), "the segments spooled during the outage are stored", () => RecorderLog(logs));
        }

        var recovery = clock.Elapsed;
        var before = (await SegmentsAsync(server, cameraId)).Count;
        await WaitUntilAsync(async () => (await SegmentsAsync(server, cameraId)).Count >= before + 2, "two more segments are stored", () => RecorderLog(logs));
        await (await server.Admin.PostAsync($"api/v1/recording/stop/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.OK);
        await WaitUntilAsync(() => Task.FromResult(!Directory.Exists(spool) || Directory.GetFiles(spool, "*.ts*").Length == 0), "the spool is empty");

        var segments = (await SegmentsAsync(server, cameraId)).OrderBy(s => s.StartTime).ToArray();
        var captured = await CapturedWithFramesAsync(watcher, server.DataDirectory, cameraId);
        var verifiedBytes = await VerifiedBytesAsync(server, segments);
        var gaps = new List<(DateTimeOffset From, DateTimeOffset To)>();
        var overlaps = 0;
        for (var i = 1; i < segments.Length; i++)
        {
            var hole = segments[i].StartTime - segments[i - 1].EndTime;
            if (hole > TimeSpan.FromMilliseconds(60))
            {
                gaps.Add((segments[i - 1].EndTime, segments[i].StartTime));
            }
            else if (hole < TimeSpan.FromMilliseconds(-60))
            {
                overlaps++;
            }
        }

        var span = (segments[^1].EndTime - segments[0].StartTime).TotalSeconds;
        var stored = segments.Sum(s => (s.EndTime - s.StartTime).TotalSeconds);
        var duplicates = segments.Length - segments.Select(s => s.StartTime).Distinct().Count() + overlaps;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{fault} outage {seconds} s: captured {captured} segments, stored {segments.Length} ({verifiedBytes} bytes, every one matching its SHA-256); " +
            $"{stored:F1} s stored of a {span:F1} s run; gaps {gaps.Count} ({gaps.Sum(g => (g.To - g.From).TotalSeconds):F1} s); duplicates {duplicates}; recovered in {recovery.TotalSeconds:F1} s"));

        if (captured != segments.Length)
        {
            var rejected = Path.Combine(server.DataDirectory, "spool", "rejected", cameraId.ToString("D"));
            output.WriteLine("rejected: " + string.Join(", ", Directory.Exists(rejected) ? Directory.GetFiles(rejected).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length} B") : []));
            output.WriteLine("spool files seen: " + watcher.Describe());
            // the recorder's own warnings first: the uploader's and the leases' retries during an outage would hide them
            foreach (var line in logs.Lines.Where(l => l.Contains("Footage.Recording", StringComparison.Ordinal) && !l.StartsWith("Information", StringComparison.Ordinal) &&
                !l.Contains("Spool upload failed", StringComparison.Ordinal) && !l.Contains("Footage.Recording.Leases", StringComparison.Ordinal)).Take(60))
            {
                output.WriteLine(line.Length > 600 ? line[..600] : line);
            }
        }

        Assert.Equal(captured, segments.Length);
        Assert.Equal(0, duplicates);
        if (fault == "camera")
        {
            // the only hole is the time the camera was away (and ffmpeg's reconnect after it)
            var gap = Assert.Single(gaps);
            Assert.True(gap.From <= up && gap.To >= down, $"the gap {gap.From:O}..{gap.To:O} is not the outage {down:O}..{up:O}");
        }
        else
        {
            Assert.Empty(gaps);
        }
    }

    [Fact]
    public async Task Footage_written_before_each_SIGKILL_of_ffmpeg_is_all_stored_once()
    {
        var kills = Long ? 10 : 4;
        await using var camera = await CameraSimulator.StartAsync();
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, null, FastSettings());
        var created = await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "killed", rtsp_url = camera.Url(1) })).AssertJsonAsync(HttpStatusCode.Created);
        var cameraId = created.GetProperty("id").GetGuid();
        var spool = Path.Combine(server.DataDirectory, "spool", cameraId.ToString("D"));
        await using var watcher = new SpoolWatcher(spool);
        await (await server.Admin.PostAsync($"api/v1/recording/start/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.Accepted);
        await WaitUntilAsync(async () => (await SegmentsAsync(server, cameraId)).Count >= 1, "a segment is stored");

        var recoveries = new List<double>();
        for (var kill = 0; kill < kills; kill++)
        {
            await WaitUntilAsync(() => WritingForAsync(spool, TimeSpan.FromSeconds(1)), "the recorder is writing a segment");
            var recorder = RecorderOf(spool);
            Assert.NotNull(recorder);
            var killedAt = DateTimeOffset.UtcNow;
            recorder.Kill(); // SIGKILL
            await recorder.WaitForExitAsync();
            var clock = Stopwatch.StartNew();
            await WaitUntilAsync(async () => (await SegmentsAsync(server, cameraId)).Any(s => s.StartTime > killedAt), "footage after the restart is stored");
            recoveries.Add(clock.Elapsed.TotalSeconds);
        }

        await (await server.Admin.PostAsync($"api/v1/recording/stop/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.OK);
        await WaitUntilAsync(() => Task.FromResult(!Directory.Exists(spool) || Directory.GetFiles(spool, "*.ts*").Length == 0), "the spool is empty");
        var segments = (await SegmentsAsync(server, cameraId)).OrderBy(s => s.StartTime).ToArray();
        var captured = await CapturedWithFramesAsync(watcher, server.DataDirectory, cameraId);
        var verifiedBytes = await VerifiedBytesAsync(server, segments);
        var span = (segments[^1].EndTime - segments[0].StartTime).TotalSeconds;
        var stored = segments.Sum(s => (s.EndTime - s.StartTime).TotalSeconds);
        var duplicates = segments.Length - segments.Select(s => s.StartTime).Distinct().Count() +
            segments.Skip(1).Zip(segments).Count(p => p.First.StartTime < p.Second.EndTime - TimeSpan.FromMilliseconds(60));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ffmpeg SIGKILLed {kills} times in a row: captured {captured} segments, stored {segments.Length} ({verifiedBytes} bytes, every one matching its SHA-256); " +
            $"{stored:F1} s stored of a {span:F1} s run ({span - stored:F1} s never in the spool: each restart, and what each killed ffmpeg had not written yet); duplicates {duplicates}; " +
            $"recovery after a kill: median {recoveries.Order().ElementAt(recoveries.Count / 2):F1} s, max {recoveries.Max():F1} s"));
        Assert.Equal(captured, segments.Length);
        Assert.Equal(0, duplicates);
    }

    /// <summary>What the recorder said, less the uploader's and the leases' retries, which fill an outage.</summary>
    private static string RecorderLog(CapturedLogs logs) =>
        string.Join('\n', logs.Lines.Where(l => l.Contains("Footage.Recording", StringComparison.Ordinal) && !l.Contains("Spool upload failed", StringComparison.Ordinal) &&
            !l.Contains("Footage.Recording.Leases", StringComparison.Ordinal) && !l.Contains("Finished partial", StringComparison.Ordinal)).TakeLast(40).Select(l => l.Length > 400 ? l[..400] : l));

    private static async Task<IReadOnlyList<Segment>> SegmentsAsync(FootageServer server, Guid camera) =>
        (await server.Get<ISegmentCatalog>().ListAsync(new SegmentQuery(camera, null, null, null, 5000, IncludeKeyframes: false), CancellationToken.None)).Items;

    /// <summary>Reads every stored object back and checks its size and SHA-256 against the catalog; returns the bytes.</summary>
    private static async Task<long> VerifiedBytesAsync(FootageServer server, IReadOnlyList<Segment> segments)
    {
        var backends = server.Get<IStorageBackendRegistry>();
        long total = 0;
        foreach (var segment in segments)
        {
            await using var read = await backends.Get(segment.StorageBackend).OpenReadAsync(segment.StorageBucket, segment.StoragePath, null, CancellationToken.None);
            Assert.NotNull(read);
            using var buffer = new MemoryStream();
            await read.Content.CopyToAsync(buffer);
            Assert.Equal(segment.SizeBytes, buffer.Length);
            Assert.Equal(segment.Checksum, Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray())));
            total += buffer.Length;
        }

        return total;
    }
}

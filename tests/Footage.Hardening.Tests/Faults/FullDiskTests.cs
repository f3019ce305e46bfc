using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;
using static Footage.Hardening.Tests.Faults.FaultRun;

namespace Footage.Hardening.Tests.Faults;

/// <summary>
/// The spool disk filled to the brim: the spool on a real size-limited filesystem (a 4 MB tmpfs, mostly taken by other
/// data; mounting needs root, which the test machines and CI have: elsewhere the test is skipped and says why), object
/// storage down so that nothing drains, recording until ffmpeg's writes fail with ENOSPC and on for a while (5 s in CI,
/// 60 s in the long run); then storage returns. Footage that reached the spool must all be stored, byte for byte; what
/// never reached the disk was never captured, and the test measures it as the gap it leaves.
/// </summary>
public sealed class FullDiskTests(ITestOutputHelper output)
{
    private const long DiskBytes = 4 * 1024 * 1024;
    private const long RoomLeft = 900 * 1024;
    private const long AlarmBelow = 400 * 1024;

    [Fact]
    public async Task Footage_that_reached_a_full_spool_disk_is_all_stored_once_and_recording_resumes()
    {
        using var folder = new TempFolder("footage-full-disk");
        var disk = Path.Combine(folder.Path, "spool");
        var (mounted, refused) = await SmallDisk.MountAsync(disk, DiskBytes);
        if (mounted is null)
        {
            Assert.Skip($"a size-limited filesystem cannot be mounted here ({refused}); run as root");
        }

        await using (mounted)
        {
            // other data on the disk: only RoomLeft is free for footage (written, since tmpfs does not allocate a sparse file)
            await using (var ballast = File.Create(Path.Combine(disk, "other-data.bin")))
            {
                var block = new byte[64 * 1024];
                Random.Shared.NextBytes(block);
                while (new DriveInfo(disk).AvailableFreeSpace - block.Length > RoomLeft)
                {
                    await ballast.WriteAsync(block);
                    await ballast.FlushAsync();
                }
            }

            await FillAndRecoverAsync(disk);
        }
    }

    private async Task FillAndRecoverAsync(string disk)
    {
        var fullFor = TimeSpan.FromSeconds(Long ? 60 : 5);
        await using var camera = await CameraSimulator.StartAsync();
        var s3 = new RadosGateway();
        await s3.InitializeAsync();
        try
        {
            var settings = FastSettings();
            foreach (var (key, value) in s3.S3Settings(s3.Identities.Storage))
            {
                settings[key] = value;
            }

            settings["Footage:Storage:DefaultBackend"] = "s3";
            settings["Footage:Recording:SpoolDirectory"] = disk;
            settings["Footage:Recording:MinFreeSpoolBytes"] = AlarmBelow.ToString(CultureInfo.InvariantCulture);
            settings["Logging:LogLevel:Footage"] = "Information";
            var logs = new CapturedLogs();
            await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, null, settings, s => s.AddSingleton<ILoggerProvider>(logs));
            using var anonymous = server.CreateClient();
            var created = await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "full disk", rtsp_url = camera.Url(1) })).AssertJsonAsync(HttpStatusCode.Created);
            var cameraId = created.GetProperty("id").GetGuid();
            var spool = Path.Combine(disk, cameraId.ToString("D"));
            await using var watcher = new SpoolWatcher(spool);
            await s3.StopGatewayAsync();
            var recordingFrom = DateTimeOffset.UtcNow;
            await (await server.Admin.PostAsync($"api/v1/recording/start/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.Accepted);

            // fill: watch the alarm, the health warning and the first failed write
            var alarmSeen = false;
            var warningSeen = false;
            DateTimeOffset? fullAt = null;
            var fill = Stopwatch.StartNew();
            await WaitUntilAsync(async () =>
            {
                alarmSeen |= (await anonymous.GetStringAsync("metrics")).Contains("footage_recording_spool_disk_low 1", StringComparison.Ordinal);
                var health = JsonDocument.Parse(await (await anonymous.GetAsync("health")).Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("recording");
                warningSeen |= health.GetProperty("status").GetString() == "Degraded" &&
                    health.GetProperty("description").GetString()!.Contains("spool disk low", StringComparison.Ordinal);
                return logs.Lines.Any(NoSpace);
            }, "ffmpeg's writes fail with ENOSPC", () => string.Join('\n', logs.Lines.Where(l => l.Contains("Recording", StringComparison.Ordinal)).TakeLast(20)));
            fullAt = DateTimeOffset.UtcNow;
            var fillSeconds = fill.Elapsed.TotalSeconds;
            var free = new DriveInfo(disk).AvailableFreeSpace;
            await Task.Delay(fullFor);
            var failedWrites = logs.Lines.Count(NoSpace);
            var state = await server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/recording/status/{cameraId}");

            // what reached the disk: every segment file and its sidecar, if it got one
            var onDisk = Directory.GetFiles(spool, "*.ts").ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length);
            var closed = Directory.GetFiles(spool, "*.ts.json").Length;

            await s3.StartGatewayAsync();
            var back = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await WaitUntilAsync(() => Task.FromResult(onDisk.Keys.All(f => !File.Exists(Path.Combine(spool, f)))), "every segment file on the full disk is stored",
                () => string.Join(", ", Directory.GetFiles(spool).Select(Path.GetFileName)) + "\n" + string.Join('\n', logs.Lines.Where(l => l.Contains("Recording", StringComparison.Ordinal)).TakeLast(20)));
            var drained = clock.Elapsed.TotalSeconds;
            await WaitUntilAsync(async () => (await StoredFootage.ListAsync(server.Admin, cameraId)).Segments.Any(s => s.Start >= back), "footage recorded after the storage's return is stored");
            var resumed = clock.Elapsed.TotalSeconds;
            await WaitUntilAsync(async () => (await anonymous.GetStringAsync("metrics")).Contains("footage_recording_spool_disk_low 0", StringComparison.Ordinal), "the spool disk alarm clears");
            var alarmCleared = clock.Elapsed.TotalSeconds;

            await (await server.Admin.PostAsync($"api/v1/recording/stop/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.OK);
            await WaitUntilAsync(() => Task.FromResult(Directory.GetFiles(spool, "*.ts*").Length == 0), "the spool is empty");
            var footage = await StoredFootage.ListAsync(server.Admin, cameraId);
            var verified = await footage.VerifiedBytesAsync(server.Admin);
            var captured = await CapturedWithFramesAsync(watcher, server.DataDirectory, cameraId, disk);
            var before = footage.Segments.Where(s => s.Start < back).ToArray();
            var gaps = footage.Gaps;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"spool disk full ({RoomLeft / 1024} KB free for footage, object storage down) for {fullFor.TotalSeconds:F0} s after ffmpeg's first failed write: " +
                $"filled in {fillSeconds:F1} s ({free} bytes free then); {onDisk.Count} segment files on the disk ({onDisk.Values.Sum()} bytes, {closed} closed, the rest cut short by ENOSPC); " +
                $"failed writes logged {failedWrites}; status then {state.GetProperty("state").GetString()}; " +
                $"alarm metric seen {alarmSeen}, health warning seen {warningSeen}; " +
                $"captured {captured} segments, stored {footage.Count} ({verified} bytes, every one matching its SHA-256), {before.Length} of them recorded before the storage returned " +
                $"({before.Sum(s => s.Size)} bytes, {before.Sum(s => (s.End - s.Start).TotalSeconds):F1} s); {footage.StoredSeconds:F1} s stored of a {footage.SpanSeconds:F1} s run; " +
                $"never reached the disk (not captured): {footage.GapSeconds:F1} s in {gaps.Count} gap(s); duplicates {footage.Duplicates}; " +
                $"after the storage returned: spool drained in {drained:F1} s, new footage stored after {resumed:F1} s, alarm cleared after {alarmCleared:F1} s"));
            output.WriteLine("on the disk when the storage returned: " + string.Join(", ", onDisk.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value} B")));
            output.WriteLine("stored: " + string.Join(", ", footage.Segments.Select(s => $"{s.Start:HH:mm:ss.fff} {s.Size} B")));
            if (captured != footage.Count)
            {
                output.WriteLine("spool files seen: " + watcher.Describe());
                foreach (var line in logs.Lines.Where(l => l.Contains("Footage.Recording", StringComparison.Ordinal) && !l.StartsWith("Information", StringComparison.Ordinal)).Take(40))
                {
                    output.WriteLine(line.Length > 600 ? line[..600] : line);
                }
            }

            Assert.True(alarmSeen, "the spool disk alarm was raised");
            Assert.True(warningSeen, "/health warned of the spool disk");
            Assert.Equal(captured, footage.Count);
            Assert.Equal(0, footage.Duplicates);
            // every file that was on the disk when the storage returned is stored, less at most a packet cut short by ENOSPC each
            Assert.Equal(onDisk.Count(f => f.Value > 0), before.Length);
            Assert.InRange(onDisk.Values.Sum() - before.Sum(s => s.Size), 0, 187 * onDisk.Count);
            var rejected = Path.Combine(disk, "rejected", cameraId.ToString("D"));
            foreach (var file in Directory.Exists(rejected) ? Directory.GetFiles(rejected, "*.ts") : [])
            {
                Assert.True(await VideoPacketsAsync(file) == 0, $"{Path.GetFileName(file)}, which holds video, was rejected");
            }
            // footage is missing only while the disk was full
            foreach (var gap in gaps)
            {
                Assert.True(gap.From >= recordingFrom && gap.To <= back + TimeSpan.FromSeconds(30) && gap.To >= fullAt - TimeSpan.FromSeconds(5),
                    $"the gap {gap.From:O}..{gap.To:O} is not while the disk was full ({fullAt:O}..{back:O})");
            }
        }
        finally
        {
            await s3.DisposeAsync();
        }
    }

    private static bool NoSpace(string line) => line.Contains("No space left on device", StringComparison.OrdinalIgnoreCase) || line.Contains("ENOSPC", StringComparison.Ordinal);

}

using System.Globalization;
using System.Text.Json;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// A storage outage long enough to fill the spool disk, on a real size-limited filesystem (a 3 MB tmpfs; mounting
/// it needs root, which the test machines and CI have; elsewhere the test is skipped and says why).
/// </summary>
public sealed class FullSpoolDiskTests(PostgresServer postgres)
{
    private const long DiskBytes = 3 * 1024 * 1024;

    [Fact]
    public async Task A_spool_disk_filled_by_a_storage_outage_alarms_loses_no_closed_segment_and_recording_resumes()
    {
        using var folder = new TempFolder("footage-small-spool");
        var disk = Path.Combine(folder.Path, "spool");
        var (mounted, refused) = await SmallDisk.MountAsync(disk, DiskBytes);
        if (mounted is null)
        {
            Assert.Skip($"a size-limited filesystem cannot be mounted here ({refused}); run as root");
        }

        await using (mounted)
        {
            await RecordThroughAFullDiskAsync(disk);
        }
    }

    private async Task RecordThroughAFullDiskAsync(string disk)
    {
        await using var cameras = await CameraSimulator.StartAsync(cameras: 2);
        var s3 = new RadosGateway();
        await s3.InitializeAsync();
        try
        {
            var settings = FastSettings(S3Settings(s3));
            settings["Footage:Recording:SpoolDirectory"] = disk;
            settings["Footage:Recording:MinFreeSpoolBytes"] = (DiskBytes * 3 / 4).ToString(CultureInfo.InvariantCulture);
            await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, settings);
            using var anonymous = server.CreateClient();
            var first = await CreateCameraAsync(server, cameras.Url(1));
            var second = await CreateCameraAsync(server, cameras.Url(2));
            await s3.StopGatewayAsync();
            await StartRecordingAsync(server, first);
            await StartRecordingAsync(server, second);

            // a quarter of the disk used: the alarm and the health warning are up, and both cameras still record
            await WaitUntilAsync(() => Task.FromResult(new DriveInfo(disk).AvailableFreeSpace < DiskBytes * 3 / 4), "a quarter of the spool disk is used");
            await WaitUntilAsync(async () => (await anonymous.GetStringAsync("metrics")).Contains("footage_recording_spool_disk_low 1", StringComparison.Ordinal),
                "the spool disk alarm is raised");
            // /health as a whole is 503 here: the object store is down too
            var health = JsonDocument.Parse(await (await anonymous.GetAsync("health")).Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("recording");
            Assert.Equal("Degraded", health.GetProperty("status").GetString());
            Assert.Contains("spool disk low", health.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("cameras not recording", health.GetProperty("description").GetString(), StringComparison.Ordinal);

            // the outage goes on until the disk is full
            await WaitUntilAsync(() => Task.FromResult(new DriveInfo(disk).AvailableFreeSpace < 64 * 1024), "the spool disk is full");
            await Task.Delay(TimeSpan.FromSeconds(3));
            var captured = ClosedSegments(disk);
            Assert.NotEmpty(captured);

            await s3.StartGatewayAsync();
            var restored = DateTimeOffset.UtcNow;
            // every segment that was closed in the spool reaches storage, whole
            await WaitUntilAsync(async () =>
            {
                var stored = (await SegmentsAsync(server, first)).Concat(await SegmentsAsync(server, second)).ToArray();
                // the catalog keeps start times to the millisecond
                return captured.All(c => stored.Any(s => s.CameraId == c.Item1 && Math.Abs((s.StartTime - c.Item2).TotalMilliseconds) < 1.5));
            }, "every segment closed during the outage is in the catalog");
            await AssertStoredByteForByteAsync(server, (await SegmentsAsync(server, first)).Concat(await SegmentsAsync(server, second)).ToArray());

            // with room again, both cameras record on and the alarm clears
            foreach (var camera in new[] { first, second })
            {
                await WaitUntilAsync(async () => (await SegmentsAsync(server, camera)).Any(s => s.StartTime > restored), $"camera {camera} records again after the outage");
            }

            await WaitUntilAsync(async () => (await anonymous.GetStringAsync("metrics")).Contains("footage_recording_spool_disk_low 0", StringComparison.Ordinal),
                "the spool disk alarm clears");
        }
        finally
        {
            await s3.DisposeAsync();
        }
    }

    /// <summary>The segments the spool holds as closed (a sidecar beside the file): camera and wall-clock start.</summary>
    private static HashSet<(Guid, DateTimeOffset)> ClosedSegments(string disk)
    {
        var closed = new HashSet<(Guid, DateTimeOffset)>();
        foreach (var sidecar in Directory.EnumerateFiles(disk, "*.ts.json", SearchOption.AllDirectories))
        {
            try
            {
                var json = JsonDocument.Parse(File.ReadAllText(sidecar)).RootElement;
                closed.Add((json.GetProperty("cameraId").GetGuid(), json.GetProperty("startTime").GetDateTimeOffset()));
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // stored and removed while we looked
            }
        }

        return closed;
    }

}

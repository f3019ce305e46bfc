using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>The spool disk running low, and the order in which a backlog leaves the spool.</summary>
public sealed class SpoolDiskTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_low_spool_disk_raises_the_alarm_metric_and_a_health_warning_while_every_camera_goes_on_recording()
    {
        await using var cameras = await CameraSimulator.StartAsync(cameras: 2);
        // more free space than any disk has: the disk counts as nearly full
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres,
            FastSettings(new Dictionary<string, string?> { ["Footage:Recording:MinFreeSpoolBytes"] = (1L << 60).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        var first = await CreateCameraAsync(server, cameras.Url(1));
        var second = await CreateCameraAsync(server, cameras.Url(2));
        await StartRecordingAsync(server, first);
        await StartRecordingAsync(server, second);
        await WaitForSegmentsAsync(server, first, 2);
        await WaitForSegmentsAsync(server, second, 2);

        using var anonymous = server.CreateClient();
        var health = JsonDocument.Parse(await anonymous.GetStringAsync("health")).RootElement;
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Contains("spool disk low", health.GetProperty("checks").GetProperty("recording").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("footage_recording_spool_disk_low 1", await anonymous.GetStringAsync("metrics"), StringComparison.Ordinal);
        var status = await server.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/status");
        Assert.True(status.GetProperty("spool_disk_low").GetBoolean());
        Assert.Equal("RECORDING", (await CameraStatusAsync(server, first)).GetProperty("state").GetString());
        Assert.Equal("RECORDING", (await CameraStatusAsync(server, second)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_backlog_leaves_the_spool_oldest_footage_first_across_cameras()
    {
        await using var cameras = await CameraSimulator.StartAsync(cameras: 2);
        var s3 = new RadosGateway();
        await s3.InitializeAsync();
        try
        {
            await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings(S3Settings(s3)));
            var first = await CreateCameraAsync(server, cameras.Url(1));
            var second = await CreateCameraAsync(server, cameras.Url(2));
            await s3.StopGatewayAsync();
            await StartRecordingAsync(server, first);
            await StartRecordingAsync(server, second);
            await WaitUntilAsync(() => Task.FromResult(SpooledSegments(server, first) >= 2 && SpooledSegments(server, second) >= 2), "both cameras have a backlog");
            await StopRecordingAsync(server, first);
            await StopRecordingAsync(server, second);
            await s3.StartGatewayAsync();
            await WaitForEmptySpoolAsync(server, first);
            await WaitForEmptySpoolAsync(server, second);

            var all = (await SegmentsAsync(server, first)).Concat(await SegmentsAsync(server, second)).ToArray();
            Assert.True(all.Length >= 4);
            await AssertStoredByteForByteAsync(server, all);
            Assert.Equal(all.OrderBy(s => s.StartTime).Select(s => s.Id), all.OrderBy(s => s.CreatedAt).Select(s => s.Id));
        }
        finally
        {
            await s3.DisposeAsync();
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>LOCAL and BOTH cameras are recorded by us; MILESTONE cameras are Milestone's: start is refused and status says who records them.</summary>
public sealed class StorageModeTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_milestone_camera_is_not_recorded_by_us_and_a_both_camera_is()
    {
        await using var cameras = await CameraSimulator.StartAsync(cameras: 2);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings());
        var milestone = await CreateCameraAsync(server, cameras.Url(1), storageMode: "MILESTONE");
        var both = await CreateCameraAsync(server, cameras.Url(2), storageMode: "BOTH");

        var refused = await server.Admin.PostAsync($"api/v1/recording/start/{milestone}", null);
        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("MILESTONE", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await StartRecordingAsync(server, both);
        await WaitForSegmentsAsync(server, both, 1);
        await AssertStoredByteForByteAsync(server, await SegmentsAsync(server, both));

        var milestoneStatus = await CameraStatusAsync(server, milestone);
        Assert.Equal("MILESTONE", milestoneStatus.GetProperty("state").GetString());
        Assert.Equal(["milestone"], milestoneStatus.GetProperty("recorded_by").EnumerateArray().Select(e => e.GetString()!));
        Assert.False(milestoneStatus.GetProperty("should_record").GetBoolean());
        var bothStatus = await CameraStatusAsync(server, both);
        Assert.Equal("BOTH", bothStatus.GetProperty("storage_mode").GetString());
        Assert.Equal(["footage", "milestone"], bothStatus.GetProperty("recorded_by").EnumerateArray().Select(e => e.GetString()!));
        Assert.Empty(await SegmentsAsync(server, milestone));
        Assert.Equal(0, SpooledSegments(server, milestone));
    }

    [Fact]
    public async Task A_camera_switched_to_milestone_is_no_longer_recorded_by_us_after_its_recorder_restarts()
    {
        await using var cameras = await CameraSimulator.StartAsync(cameras: 1);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings());
        var camera = await CreateCameraAsync(server, cameras.Url(1));
        await StartRecordingAsync(server, camera);
        await WaitForStateAsync(server, camera, "RECORDING");

        (await server.Admin.PutAsJsonAsync($"api/v1/cameras/{camera}", new { name = "switched", source = "sim", rtsp_url = cameras.Url(1), storage_mode = "MILESTONE" }))
            .EnsureSuccessStatusCode();
        // the camera goes away for a moment: the recorder restarts, reads the directory again and leaves the camera to Milestone
        cameras.Stop();
        await WaitForStateAsync(server, camera, "MILESTONE");
        await cameras.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal("MILESTONE", (await CameraStatusAsync(server, camera)).GetProperty("state").GetString());
        // a camera left to Milestone is not a camera failing to record
        using var anonymous = server.CreateClient();
        var health = JsonDocument.Parse(await (await anonymous.GetAsync("health")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("recording").GetProperty("status").GetString());
        Assert.DoesNotContain(Directory.EnumerateFiles(SpoolFolder(server, camera)), f => f.EndsWith(".csv", StringComparison.Ordinal));
    }
}

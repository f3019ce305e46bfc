using Footage.Recording.Cameras;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>A camera started again while its recorder is still stopping gets its next recorder only once the first run has ended.</summary>
public sealed class RecorderRestartTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_camera_started_while_its_recorder_stops_is_recorded_again_only_after_its_run_has_ended()
    {
        await using var cameras = await CameraSimulator.StartAsync(cameras: 1);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings());
        var camera = await CreateCameraAsync(server, cameras.Url(1));
        await StartRecordingAsync(server, camera);
        await WaitForStateAsync(server, camera, "RECORDING");
        var manager = server.Get<RecordingManager>();

        // a plan round starting the camera (an operator started it again) while a stop closes its segment
        var stopping = manager.StopRecorderAsync(camera);
        var starting = manager.StartRecorderAsync(camera);
        await starting;
        Assert.True(stopping.IsCompleted, "a second recorder was started on the camera's spool folder while its first run was still ending");
        await stopping;

        Assert.Contains(camera, manager.Running);
        await WaitForStateAsync(server, camera, "RECORDING");
        var before = (await SegmentsAsync(server, camera)).Count;
        await WaitForSegmentsAsync(server, camera, before + 1);
    }
}

using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>A source's stream quota: a camera over it waits and says so, and records once a stream is free.</summary>
public sealed class QuotaTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_camera_over_its_source_quota_waits_until_a_stream_is_released()
    {
        await using var cameras = await CameraSimulator.StartAsync(cameras: 2);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres,
            FastSettings(new Dictionary<string, string?> { ["Footage:Recording:MaxStreamsPerSource:site-a"] = "1" }));
        var first = await CreateCameraAsync(server, cameras.Url(1), source: "site-a");
        var second = await CreateCameraAsync(server, cameras.Url(2), source: "site-a");
        await StartRecordingAsync(server, first);
        await WaitForStateAsync(server, first, "RECORDING");
        await StartRecordingAsync(server, second);
        await WaitForStateAsync(server, second, "WAITING_FOR_QUOTA");
        Assert.Contains("site-a", (await CameraStatusAsync(server, second)).GetProperty("last_error").GetString(), StringComparison.Ordinal);

        await StopRecordingAsync(server, first);
        await WaitForStateAsync(server, second, "RECORDING");
        await WaitForSegmentsAsync(server, second, 1);
    }
}

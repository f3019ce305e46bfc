using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>The built-in demo camera of the embedded default: recorded without any real camera, listed like any other, and it can be switched off.</summary>
public sealed class DemoCameraTests(PostgresServer postgres)
{
    private static readonly Guid DemoId = new("00000000-0000-4000-8000-00000000d0d0");

    [Fact]
    public async Task The_demo_camera_records_by_default_and_is_listed_in_the_status()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres,
            FastSettings(new Dictionary<string, string?> { ["Footage:Recording:DemoCamera:Enabled"] = "true" }));
        await WaitForSegmentsAsync(server, DemoId, 2);

        var status = await server.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/status");
        var demo = status.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("camera_id").GetGuid() == DemoId);
        Assert.Equal("RECORDING", demo.GetProperty("state").GetString());
        Assert.True(demo.GetProperty("bitrate_bps").GetInt64() > 0);
        var segments = await SegmentsAsync(server, DemoId);
        await AssertStoredByteForByteAsync(server, segments);
        Assert.Empty(Gaps(segments));

        await StopRecordingAsync(server, DemoId);
        Assert.Equal("STOPPED", (await CameraStatusAsync(server, DemoId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Switched_off_there_is_no_demo_camera()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings());
        var status = await server.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/status");
        Assert.DoesNotContain(status.GetProperty("cameras").EnumerateArray(), c => c.GetProperty("camera_id").GetGuid() == DemoId);
    }
}

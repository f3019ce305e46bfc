using System.Net;
using System.Text.Json;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Vms;

/// <summary>With the VMS Service and Stream Counter configured, cameras and stream quota come from them over HTTP.</summary>
public sealed class VmsServicesTests(PostgresServer postgres)
{
    [Fact]
    public async Task Cameras_come_from_the_vms_and_streams_are_reserved_and_released_at_the_stream_counter()
    {
        await using var simulator = await CameraSimulator.StartAsync(cameras: 2);
        await using var vms = await VmsServicesDouble.StartAsync();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        // the RTSP URL carries credentials (the simulator does not ask for them): they must never show
        vms.Cameras[first] = new { id = first, name = "gate", source = "site-x", rtsp_url = simulator.Url(1).Replace("rtsp://", "rtsp://viewer:s3cret-pw@", StringComparison.Ordinal), storage_mode = "LOCAL" };
        vms.Cameras[second] = new { id = second, name = "yard", source = "site-x", rtsp_url = simulator.Url(2), storage_mode = "BOTH" };
        var logs = new CapturedLogs();
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:System.Net.Http"] = "Trace",
            ["Footage:Recording:Vms:BaseUrl"] = vms.Url,
            ["Footage:Recording:Vms:ApiKey"] = VmsServicesDouble.ApiKey,
            ["Footage:Recording:StreamCounter:BaseUrl"] = vms.Url,
            ["Footage:Recording:StreamCounter:ApiKey"] = VmsServicesDouble.ApiKey,
        }), services => services.AddSingleton<ILoggerProvider>(logs));

        var status = await server.Admin.GetStringAsync("api/v1/recording/status");
        var listed = JsonDocument.Parse(status).RootElement.GetProperty("cameras").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["gate", "yard"], listed);

        await StartRecordingAsync(server, first);
        await WaitForStateAsync(server, first, "RECORDING");
        await StartRecordingAsync(server, second);
        await WaitForStateAsync(server, second, "WAITING_FOR_QUOTA");
        Assert.Equal([first], vms.Holders("site-x"));
        await WaitForSegmentsAsync(server, first, 1);

        await StopRecordingAsync(server, first);
        await WaitForStateAsync(server, second, "RECORDING");
        await WaitForSegmentsAsync(server, second, 1);
        Assert.Equal([second], vms.Holders("site-x"));
        Assert.Contains($"release {first}", vms.Requests);
        await AssertStoredByteForByteAsync(server, await SegmentsAsync(server, first));

        await StopRecordingAsync(server, second);
        Assert.Empty(vms.Holders("site-x"));
        Assert.Equal(0, vms.Unauthorized);
        Assert.DoesNotContain("s3cret-pw", await server.Admin.GetStringAsync("api/v1/recording/status"), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(VmsServicesDouble.ApiKey, logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vms_that_cannot_be_reached_is_a_503_problem_not_an_error()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings(new Dictionary<string, string?>
        {
            ["Footage:Recording:Vms:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/",
            ["Footage:Recording:Vms:Timeout"] = "00:00:03",
            ["Footage:Recording:Vms:AttemptTimeout"] = "00:00:01",
        }));

        var status = await server.Admin.GetAsync("api/v1/recording/status");
        var problem = await status.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("VMS", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var start = await server.Admin.PostAsync($"api/v1/recording/start/{Guid.NewGuid()}", null);
        await start.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_vms_camera_whose_url_is_not_rtsp_is_refused_and_never_opened()
    {
        await using var vms = await VmsServicesDouble.StartAsync();
        var local = Path.Combine(Path.GetTempPath(), "footage-vms-" + Guid.NewGuid().ToString("N") + ".ts");
        await File.WriteAllBytesAsync(local, new byte[188 * 64]);
        var file = Guid.NewGuid();
        var http = Guid.NewGuid();
        vms.Cameras[file] = new { id = file, name = "file camera", source = "site-y", rtsp_url = new Uri(local).AbsoluteUri, storage_mode = "LOCAL" };
        vms.Cameras[http] = new { id = http, name = "http camera", source = "site-y", rtsp_url = "http://127.0.0.1:1/stream", storage_mode = "LOCAL" };
        try
        {
            await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings(new Dictionary<string, string?>
            {
                ["Footage:Recording:Vms:BaseUrl"] = vms.Url,
                ["Footage:Recording:Vms:ApiKey"] = VmsServicesDouble.ApiKey,
            }));

            foreach (var id in new[] { file, http })
            {
                var start = await server.Admin.PostAsync($"api/v1/recording/start/{id}", null);
                var problem = await start.AssertProblemAsync(HttpStatusCode.Conflict);
                Assert.Contains("rtsp:// or rtsps://", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            Assert.Empty(await SegmentsAsync(server, file));
            Assert.Empty(await SegmentsAsync(server, http));
        }
        finally
        {
            File.Delete(local);
        }
    }
}

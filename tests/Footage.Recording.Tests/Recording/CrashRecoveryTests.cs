using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>The recorder process killed with SIGKILL in the middle of a segment, then started again on the same data.</summary>
public sealed class CrashRecoveryTests(PostgresServer postgres) : IDisposable
{
    private readonly TempFolder _data = new("recording-crash");

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("ffmpeg")]
    [InlineData("remuxer")]
    public async Task After_a_SIGKILL_mid_segment_the_partial_segment_is_stored_and_the_camera_resumes(string engine)
    {
        await using var cameras = await CameraSimulator.StartAsync();
        var port = FreePort.Next();
        var settings = FastSettings(new Dictionary<string, string?>
        {
            ["Footage:DataDirectory"] = _data.Path,
            ["Footage:Auth:AdminApiKey"] = FootageServer.AdminKey,
            ["Footage:Recording:DemoCamera:Enabled"] = "false",
            ["Footage:Recording:SegmentSeconds"] = "4",
            ["Footage:Recording:Engine"] = engine,
            ["Footage:Storage:Retention:Enabled"] = "false",
            ["urls"] = $"http://127.0.0.1:{port}",
        });
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Footage.Server.dll"));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        Guid camera;
        DateTimeOffset killedAt;
        JsonElement[] beforeKill;
        using (var recorder = Process.Start(start)!)
        {
            recorder.OutputDataReceived += (_, _) => { };
            recorder.ErrorDataReceived += (_, _) => { };
            recorder.BeginOutputReadLine();
            recorder.BeginErrorReadLine();
            try
            {
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60));
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
                client.DefaultRequestHeaders.Add("X-Api-Key", FootageServer.AdminKey);
                var created = await client.PostAsJsonAsync("api/v1/cameras", new { name = "crash", source = "sim", rtsp_url = cameras.Url(1) });
                camera = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                (await client.PostAsync($"api/v1/recording/start/{camera}", null)).EnsureSuccessStatusCode();
                beforeKill = [];
                await WaitUntilAsync(async () =>
                {
                    var page = await client.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{camera}");
                    beforeKill = page.GetProperty("items").EnumerateArray().ToArray();
                    return beforeKill.Length >= 1;
                }, "the first segment is stored");
                // about half-way into the next 4 s segment: the kill lands mid-segment
                await Task.Delay(TimeSpan.FromSeconds(2.5));
            }
            finally
            {
                killedAt = DateTimeOffset.UtcNow;
                recorder.Kill(entireProcessTree: false);
                await recorder.WaitForExitAsync();
            }
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_data.Path, "spool", camera.ToString("D")), "*.ts"));

        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, settings.Where(kv => kv.Key != "urls").ToDictionary());
        // the camera should record: the new process resumes it without being asked
        await WaitForStateAsync(server, camera, "RECORDING");
        await WaitUntilAsync(async () => (await SegmentsAsync(server, camera)).Any(s => s.StartTime > killedAt), "a segment recorded after the restart is stored");
        await StopRecordingAsync(server, camera);
        await WaitForEmptySpoolAsync(server, camera);

        var segments = await SegmentsAsync(server, camera);
        var rejectedFolder = Path.Combine(_data.Path, "spool", "rejected");
        Assert.False(Directory.Exists(rejectedFolder), "nothing was rejected");
        await AssertStoredByteForByteAsync(server, segments);
        foreach (var stored in beforeKill)
        {
            Assert.Contains(segments, s => s.Id == stored.GetProperty("id").GetGuid());
        }

        // the segment open at the kill is there, continuing the last one stored before it and ending near the kill
        var gap = Assert.Single(Gaps(segments));
        // ffmpeg writes a little behind real time, more so on a loaded machine; 3.5 s stays inside the 4 s segment
        Assert.InRange(gap.From, killedAt - TimeSpan.FromSeconds(3.5), killedAt + TimeSpan.FromSeconds(1));
        var partial = segments.Single(s => s.EndTime == gap.From);
        Assert.Contains(segments, s => s.EndTime == partial.StartTime);
        Assert.Empty(Directory.GetFiles(Path.Combine(_data.Path, "spool", camera.ToString("D"))).Select(Path.GetFileName));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;
using static Footage.Hardening.Tests.Faults.FaultRun;

namespace Footage.Hardening.Tests.Faults;

/// <summary>
/// The wall clock of the recorder machine stepped forward and back while it records, by real means: libfaketime preloaded
/// into the server process (and so into its ffmpeg children) with an offset read from a file the test rewrites at run time,
/// the monotonic clock left alone, as a real step of the system clock (NTP, an operator) does. First +10 min, then back by
/// 10 min together with a stall of ffmpeg (SIGSTOP), then a SIGKILL of the process and a start on the same data; a new run (ffmpeg SIGKILLed) between the jumps, so that
/// after the backward one the clock is behind footage already stored. Every
/// file ffmpeg wrote must be stored once, byte for byte, with no overlapping segments in the catalog.
/// </summary>
public sealed class ClockJumpTests(ITestOutputHelper output)
{
    private const int Jump = 600;

    [Fact]
    public async Task Footage_recorded_through_clock_jumps_is_all_stored_once_without_overlaps()
    {
        if (Directory.GetDirectories("/usr/lib").Prepend("/usr/lib").Select(d => Path.Combine(d, "faketime", "libfaketimeMT.so.1")).FirstOrDefault(File.Exists) is not { } library)
        {
            Assert.Skip("libfaketime is not installed (Debian package faketime; eng/install-dependencies.sh test installs it)");
            return;
        }

        var hold = TimeSpan.FromSeconds(Long ? 60 : 6);
        using var data = new TempFolder("clock-jumps");
        var offsetFile = Path.Combine(data.Path, "clock-offset");
        await File.WriteAllTextAsync(offsetFile, "+0");
        var environment = new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = library,
            ["FAKETIME_TIMESTAMP_FILE"] = offsetFile,
            ["FAKETIME_NO_CACHE"] = "1",
            ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1",
        };
        await using var camera = await CameraSimulator.StartAsync();
        var port = FreePort.Next();
        var settings = FastSettings();
        settings["Logging:LogLevel:Footage.Recording"] = "Information";
        var server = await FootageProcess.StartAsync("recorder", settings, data.Path, port, environment);
        try
        {
            var created = await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "clock jumps", rtsp_url = camera.Url(1) })).AssertJsonAsync(HttpStatusCode.Created);
            var cameraId = created.GetProperty("id").GetGuid();
            var spool = Path.Combine(data.Path, "spool", cameraId.ToString("D"));
            await using var watcher = new SpoolWatcher(spool);
            await (await server.Admin.PostAsync($"api/v1/recording/start/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.Accepted);
            await StoredAtLeastAsync(server, cameraId, 2, "two segments are stored");

            // forward: nothing restarts, the run goes on with its times
            var forward = await JumpAsync(server, offsetFile, "+600", "forward");
            await StoredAtLeastAsync(server, cameraId, (await StoredFootage.ListAsync(server.Admin, cameraId)).Count + 3, "three more segments are stored after the forward jump");
            var afterForward = await StatusAsync(server, cameraId);
            var restartsAfterForward = afterForward.GetProperty("restarts").GetInt32();
            var offsetAfterForward = afterForward.GetProperty("timeline_offset_seconds").GetDouble();
            await Task.Delay(hold);

            // a new run (ffmpeg SIGKILLed) takes the clock as it is now: its footage is stamped 10 min ahead of the last run's
            using (var first = RecorderOf(spool))
            {
                Assert.NotNull(first);
                first.Kill();
                await first.WaitForExitAsync();
            }

            await WaitUntilAsync(async () => (await StatusAsync(server, cameraId)).GetProperty("restarts").GetInt32() > restartsAfterForward, "ffmpeg is restarted");
            await StoredAtLeastAsync(server, cameraId, (await StoredFootage.ListAsync(server.Admin, cameraId)).Count + 3, "three segments of the new run are stored");
            var offsetOfNewRun = (await StatusAsync(server, cameraId)).GetProperty("timeline_offset_seconds").GetDouble();

            // back by 10 min, and ffmpeg stalls at that very moment: the stall is seen within the stall timeout
            using var ffmpeg = RecorderOf(spool);
            Assert.NotNull(ffmpeg);
            var restartsBefore = (await StatusAsync(server, cameraId)).GetProperty("restarts").GetInt32();
            await Signal("STOP", ffmpeg.Id);
            var backward = await JumpAsync(server, offsetFile, "+0", "backward");
            var stall = Stopwatch.StartNew();
            await WaitUntilAsync(async () => (await StatusAsync(server, cameraId)).GetProperty("restarts").GetInt32() > restartsBefore, "the stalled ffmpeg is restarted");
            var stallSeen = stall.Elapsed.TotalSeconds;
            await Signal("CONT", ffmpeg.Id);
            await StoredAtLeastAsync(server, cameraId, (await StoredFootage.ListAsync(server.Admin, cameraId)).Count + 3, "three more segments are stored after the backward jump");
            var afterBackward = await StatusAsync(server, cameraId);
            var offsetAfterBackward = afterBackward.GetProperty("timeline_offset_seconds").GetDouble();

            // a crash and a start while the clock is behind the footage: the new process's first run does not overlap it
            var metrics = await server.CreateClient().GetStringAsync("metrics");
            await server.CrashAsync();
            await server.DisposeAsync();
            var restartedAt = Stopwatch.StartNew();
            server = await FootageProcess.StartAsync("recorder", settings, data.Path, port, environment);
            var count = (await StoredFootage.ListAsync(server.Admin, cameraId)).Count;
            await StoredAtLeastAsync(server, cameraId, count + 3, "three segments recorded after the restart are stored");
            var recovered = restartedAt.Elapsed.TotalSeconds;
            var offsetAfterRestart = (await StatusAsync(server, cameraId)).GetProperty("timeline_offset_seconds").GetDouble();

            await (await server.Admin.PostAsync($"api/v1/recording/stop/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.OK);
            await WaitUntilAsync(() => Task.FromResult(Directory.GetFiles(spool, "*.ts*").Length == 0), "the spool is empty", () => server.OutputTail());
            var footage = await StoredFootage.ListAsync(server.Admin, cameraId);
            var verified = await footage.VerifiedBytesAsync(server.Admin);
            var captured = await CapturedWithFramesAsync(watcher, data.Path, cameraId);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wall clock +{Jump} s, ffmpeg SIGKILLed, -{Jump} s with ffmpeg stalled, then a SIGKILL of the recorder process: captured {captured} segments, stored {footage.Count} " +
                $"({verified} bytes, every one matching its SHA-256); {footage.StoredSeconds:F1} s stored of a {footage.SpanSeconds:F1} s timeline; " +
                $"gaps {footage.Gaps.Count} ({footage.GapSeconds:F1} s); overlaps {footage.Overlaps}; duplicates {footage.Duplicates}; " +
                $"jumps seen {forward.Seen:F1} s and {backward.Seen:F1} s after the step, sizes {forward.Size:F1} s and {backward.Size:F1} s; " +
                $"ffmpeg restarts caused by the forward jump {restartsAfterForward}; stall at the backward jump seen after {stallSeen:F1} s; " +
                $"timeline ahead of the wall clock by {offsetAfterForward:F1} s after the forward jump, {offsetOfNewRun:F1} s in the run started after it, {offsetAfterBackward:F1} s after the backward one, {offsetAfterRestart:F1} s after the restart; " +
                $"restart: footage stored again {recovered:F1} s after the kill"));
            if (captured != footage.Count || footage.Overlaps > 0)
            {
                output.WriteLine("spool files seen: " + watcher.Describe());
                output.WriteLine("stored: " + string.Join(", ", footage.Segments.Select(s => $"{s.Start:HH:mm:ss.fff}-{s.End:HH:mm:ss.fff}")));
                output.WriteLine(server.OutputTail(60));
            }

            Assert.Equal(captured, footage.Count);
            Assert.Equal(0, footage.Overlaps);
            Assert.Equal(0, footage.Duplicates);
            Assert.Equal(0, restartsAfterForward);
            Assert.InRange(forward.Size, Jump - 5, Jump + 5);
            Assert.InRange(backward.Size, -Jump - 5, -Jump + 5);
            // the run started before the forward jump keeps its times: 10 min behind the clock
            Assert.InRange(offsetAfterForward, -Jump - 5, -Jump + 5);
            Assert.InRange(offsetOfNewRun, -5, 5);
            // the run started after the clock went back begins where the footage ends, 10 min ahead of the clock, and so does the restarted process's
            Assert.InRange(offsetAfterBackward, Jump - 30, Jump + 5);
            Assert.InRange(offsetAfterRestart, 0.5, Jump + 5);
            Assert.Contains("footage_recording_clock_jumps_total{direction=\"forward\"}", metrics, StringComparison.Ordinal);
            Assert.Contains("footage_recording_clock_jumps_total{direction=\"backward\"}", metrics, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<(double Seen, double Size)> JumpAsync(FootageProcess server, string offsetFile, string offset, string direction)
    {
        var before = await LastJumpAsync(server);
        await File.WriteAllTextAsync(offsetFile + ".tmp", offset);
        File.Move(offsetFile + ".tmp", offsetFile, overwrite: true);
        var clock = Stopwatch.StartNew();
        JsonElement recorders = default;
        await WaitUntilAsync(async () =>
        {
            recorders = await server.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/status");
            var camera = recorders.GetProperty("cameras")[0];
            return camera.TryGetProperty("last_clock_jump_at", out var at) && at.ValueKind == JsonValueKind.String && at.GetString() != before &&
                (camera.GetProperty("last_clock_jump_seconds").GetDouble() > 0) == (direction == "forward");
        }, $"the {direction} jump is seen");
        return (clock.Elapsed.TotalSeconds, recorders.GetProperty("cameras")[0].GetProperty("last_clock_jump_seconds").GetDouble());
    }

    private static async Task<string?> LastJumpAsync(FootageProcess server)
    {
        var camera = (await server.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/status")).GetProperty("cameras")[0];
        return camera.TryGetProperty("last_clock_jump_at", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
    }

    private static async Task<JsonElement> StatusAsync(FootageProcess server, Guid cameraId) =>
        await server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/recording/status/{cameraId}");

    private static Task StoredAtLeastAsync(FootageProcess server, Guid cameraId, int count, string what) =>
        WaitUntilAsync(async () => (await StoredFootage.ListAsync(server.Admin, cameraId)).Count >= count, what, () => server.OutputTail());

    private static async Task Signal(string signal, int pid) =>
        await CliWrap.Cli.Wrap("kill").WithArguments(["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]).WithValidation(CliWrap.CommandResultValidation.None).ExecuteAsync();
}

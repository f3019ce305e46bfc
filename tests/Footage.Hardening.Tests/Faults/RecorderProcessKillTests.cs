using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Footage.Testing;
using Xunit;
using static Footage.Hardening.Tests.Faults.FaultRun;

namespace Footage.Hardening.Tests.Faults;

/// <summary>
/// The server process running the Recording module (the built Footage.Server, as the container runs it) SIGKILLed in the
/// middle of a segment several times in a row (4 in CI, 10 with <c>Footage__Hardening__Long=true</c>), and started again
/// each time on the same data folder. Its ffmpeg is not signalled, as in a real crash, and lives on as an orphan until it
/// notices or the next start stops it. Every file ffmpeg wrote must be stored once, byte for byte.
/// </summary>
public sealed class RecorderProcessKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Footage_written_before_each_SIGKILL_of_the_recorder_process_is_all_stored_once()
    {
        var kills = Long ? 10 : 4;
        using var data = new TempFolder("recorder-kills");
        await using var camera = await CameraSimulator.StartAsync();
        var port = FreePort.Next();
        var settings = FastSettings();
        settings["Logging:LogLevel:Footage.Recording"] = "Information";
        var server = await FootageProcess.StartAsync("recorder", settings, data.Path, port);
        FootageProcess? last = server;
        try
        {
            var created = await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "killed recorder", rtsp_url = camera.Url(1) })).AssertJsonAsync(HttpStatusCode.Created);
            var cameraId = created.GetProperty("id").GetGuid();
            var spool = Path.Combine(data.Path, "spool", cameraId.ToString("D"));
            await using var watcher = new SpoolWatcher(spool);
            await (await server.Admin.PostAsync($"api/v1/recording/start/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.Accepted);
            await WaitUntilAsync(async () => (await StoredFootage.ListAsync(server.Admin, cameraId)).Count >= 1, "a segment is stored", () => server.OutputTail());

            var recoveries = new List<double>();
            var starts = new List<double>();
            var killedAt = new List<(DateTimeOffset Kill, DateTimeOffset Back)>();
            var orphansAlive = 0;
            var twoWriters = 0;
            for (var kill = 0; kill < kills; kill++)
            {
                // mid-segment: once ffmpeg has been writing its newest file for a second (half of a 2 s segment)
                await WaitUntilAsync(() => WritingForAsync(spool, TimeSpan.FromSeconds(1)), "ffmpeg is writing a segment", () => server.OutputTail());
                using var ffmpeg = RecorderOf(spool);
                Assert.NotNull(ffmpeg);
                var at = DateTimeOffset.UtcNow;
                var clock = Stopwatch.StartNew();
                await server.CrashAsync();
                await server.DisposeAsync();
                last = null;
                if (!ffmpeg.HasExited)
                {
                    orphansAlive++;
                }

                server = await FootageProcess.StartAsync("recorder", settings, data.Path, port);
                last = server;
                starts.Add(clock.Elapsed.TotalSeconds);
                killedAt.Add((at, DateTimeOffset.UtcNow));
                var current = server;
                await WaitUntilAsync(async () =>
                {
                    if (RecordersOf(spool) is { Count: > 1 } writers)
                    {
                        twoWriters++;
                        writers.ForEach(w => w.Dispose());
                    }

                    return (await StoredFootage.ListAsync(current.Admin, cameraId)).Segments.Any(s => s.Start > at);
                }, "footage recorded after the restart is stored", () => current.OutputTail());
                recoveries.Add(clock.Elapsed.TotalSeconds);
                // the orphan is gone: stopped by the new process or ended by itself, never writing beside the new ffmpeg
                Assert.True(ffmpeg.HasExited, "the killed recorder's ffmpeg is still running after the restart");
            }

            await (await server.Admin.PostAsync($"api/v1/recording/stop/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.OK);
            await WaitUntilAsync(() => Task.FromResult(Directory.GetFiles(spool, "*.ts*").Length == 0), "the spool is empty", () => server.OutputTail());

            var footage = await StoredFootage.ListAsync(server.Admin, cameraId);
            var captured = await CapturedWithFramesAsync(watcher, data.Path, cameraId);
            var verified = await footage.VerifiedBytesAsync(server.Admin);
            var gaps = footage.Gaps;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"recorder process SIGKILLed {kills} times in a row: captured {captured} segments ({watcher.Bytes} bytes seen in the spool), stored {footage.Count} " +
                $"({verified} bytes, every one matching its SHA-256); {footage.StoredSeconds:F1} s stored of a {footage.SpanSeconds:F1} s run; " +
                $"gaps {gaps.Count} ({footage.GapSeconds:F1} s, one per restart); duplicates {footage.Duplicates}; ffmpeg orphans alive after the kill {orphansAlive}, " +
                $"two ffmpegs in one spool {twoWriters}; process back (healthy) after median {Median(starts):F1} s, max {starts.Max():F1} s; " +
                $"footage after the restart stored after median {Median(recoveries):F1} s, max {recoveries.Max():F1} s"));
            if (captured != footage.Count)
            {
                output.WriteLine("spool files seen: " + watcher.Describe());
                output.WriteLine(server.OutputTail(80));
            }

            Assert.Equal(captured, footage.Count);
            Assert.Equal(0, footage.Duplicates);
            Assert.Equal(0, twoWriters);
            // footage is missing only over the restarts: every gap begins between a kill (ffmpeg writes a little behind real
            // time, more so on a loaded machine) and the new process's start, which stops the orphan that recorded on meanwhile
            Assert.InRange(gaps.Count, 0, kills);
            foreach (var gap in gaps)
            {
                Assert.True(killedAt.Any(k => gap.From >= k.Kill - TimeSpan.FromSeconds(3.5) && gap.From <= k.Back + TimeSpan.FromSeconds(5)),
                    $"the gap {gap.From:O}..{gap.To:O} is not at a restart ({string.Join(", ", killedAt.Select(k => $"{k.Kill:HH:mm:ss.f}..{k.Back:HH:mm:ss.f}"))})");
            }
        }
        finally
        {
            if (last is not null)
            {
                await last.DisposeAsync();
            }
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

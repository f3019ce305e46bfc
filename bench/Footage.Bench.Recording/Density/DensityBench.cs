using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Footage.Bench.Results;
using Footage.Testing;

namespace Footage.Bench.Recording.Density;

/// <summary>
/// Memory and CPU per camera of ways to record, side by side in one run on the same simulated cameras (issue 24):
/// for each camera count N the simulator serves N 720p25 2 Mbit/s streams (shared: every design reads the same N
/// paths) and, at the same time, record them: the spec's ffmpeg command one per camera, today's recorder (the product's
/// server and its children), one ffmpeg with N inputs and N outputs, GStreamer one per camera and one for N, and a minimal
/// libavformat recorder (remuxer.c, built at the start when libavformat-dev is there) one process per camera, started apart
/// or forked from one parent, and the product's recorder with its remuxer engine (a second server, Engine=remuxer: its
/// footage-recorder children and its own share). After every
/// camera of every design has written its first bytes and a segment plus 15 s have passed, each design's processes are
/// measured over the same window: CPU (utime + stime), and at its end PSS, USS (private pages) and RSS from
/// /proc/{pid}/smaps_rollup, plus the bytes each camera got on disk (a design that stalls is seen, not counted cheap).
///   dotnet run --project bench/Footage.Bench.Recording -c Release -- density [counts=10,50] [segment seconds=60] [window seconds=120] [output.md|-] [designs=all]
/// designs: a comma-separated list of design keys to run (recorder_today, recorder_remuxer, ffmpeg_per_camera, ffmpeg_for_all,
/// gstreamer_per_camera, gstreamer_for_all, remuxer_per_camera, remuxer_forked), for a shorter run on a shared machine.
/// A run with the full window (120 s or more) appends each count, as soon as it is measured, to
/// bench/Footage.Bench.Recording/density/results.json.
/// </summary>
public static class DensityBench
{
    public const string ResultsBench = "Footage.Bench.Recording/density";
    private const string Today = "recorder_today";
    private const string TodayRemuxer = "recorder_remuxer";
    private const double Mb = 1048576.0;

    public static async Task RunAsync(string[] args)
    {
        var counts = (args.Length > 0 ? args[0] : "10,50").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var segmentSeconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        var window = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 120);
        var output = args.Length > 3 && args[3] != "-" ? args[3] : null;
        var designs = args.Length > 4 ? args[4].Split(',').ToHashSet(StringComparer.Ordinal) : null;
        var startedAt = TimeProvider.System.GetUtcNow();

        using var work = new TempFolder("bench-density");
        // start-up (one ffmpeg opens its N inputs one after the other), warm-up and window, with room to spare
        var clip = await BenchClip.CreateAsync(work.Path, TimeSpan.FromSeconds(180 + segmentSeconds + 15) + window);
        var remuxer = await RecordingDesigns.BuildRemuxerAsync(work.Path);
        var rows = new List<DensityRow>();
        foreach (var n in counts)
        {
            Console.WriteLine($"== {n} cameras, load {BenchResults.LoadAverage()}");
            var measured = await MeasureAsync(n, clip, remuxer, work.Path, segmentSeconds, window, designs);
            Console.WriteLine(Table(measured));
            await AppendAsync(args, startedAt, segmentSeconds, window, measured);
            rows.AddRange(measured);
        }

        var table = Table(rows);
        Console.WriteLine(table);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, table);
        }
    }

    /// <summary>A count's rows go to the results file as soon as they are measured, so that a count that cannot finish loses only itself.</summary>
    private static async Task AppendAsync(string[] args, DateTimeOffset startedAt, int segmentSeconds, TimeSpan window, IReadOnlyList<DensityRow> rows)
    {
        if (window < TimeSpan.FromSeconds(120))
        {
            Console.WriteLine("a short check run (window under 120 s): not added to the results file");
            return;
        }

        var conditions = BenchResults.Conditions("all designs at once on the same simulated cameras; DOTNET_GCgen0size=" +
            (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "0x2000000"));
        Directory.CreateDirectory(Path.GetDirectoryName(BenchResults.PathOf(ResultsBench))!);
        var written = await BenchResults.AppendAsync(ResultsBench, new JsonObject
        {
            ["measured_at"] = startedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["command"] = "dotnet run --project bench/Footage.Bench.Recording -c Release -- density " + string.Join(' ', args.Take(3)) + (args.Length > 4 ? " - " + args[4] : ""),
            ["conditions"] = conditions,
            ["segment_seconds"] = segmentSeconds,
            ["window_seconds"] = window.TotalSeconds,
            ["camera_bitrate_mbps"] = 2,
            ["rows"] = new JsonArray(rows.Select(r => (JsonNode)r.ToJson()).ToArray()),
        });
        Console.WriteLine($"appended to {written}");
    }

    private static async Task<IReadOnlyList<DensityRow>> MeasureAsync(int n, string clip, string? remuxer, string work, int segmentSeconds, TimeSpan window, HashSet<string>? wanted)
    {
        await using var simulator = await CameraSimulator.StartAsync(cameras: n, clip: clip);
        var urls = Enumerable.Range(1, n).Select(simulator.Url).ToArray();
        var folder = Path.Combine(work, n.ToString(CultureInfo.InvariantCulture));
        await using var server = await RecorderServer.StartAsync(Path.Combine(folder, "recorder"), segmentSeconds, []);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var serverIdlePss = ProcessSampler.PssBytes(server.Process.Id);
        var ids = new List<Guid>();
        for (var i = 0; i < n; i++)
        {
            ids.Add(await server.RecordAsync($"bench {i + 1}", urls[i]));
        }

        var serverPid = server.Process.Id;
        // the product's recorder with the remuxer engine: a second server, whose cameras are added when its turn comes
        await using var remuxerServer = wanted is null || wanted.Contains(TodayRemuxer)
            ? await RecorderServer.StartAsync(Path.Combine(folder, "recorder-remuxer"), segmentSeconds, ["--Footage:Recording:Engine=remuxer"])
            : null;
        var remuxerServerIdlePss = 0L;
        var serverPids = new HashSet<int> { serverPid };
        // started one after the other, each once the one before has every camera on disk: a few hundred processes loading
        // their libraries at once starve a shared 2-core machine (and the server's probes time out)
        var starts = new List<(string Key, Func<Task<DesignRun>> Start)>
        {
            (Today, () => Task.FromResult(new DesignRun(Today, "today's recorder: server + 1 ffmpeg per camera", () => [serverPid, .. ProcessSampler.Children(serverPid)],
                async () => RecordedBytes(await MetricsAsync(server.Http), ids), () => ValueTask.CompletedTask))),
            (RecordingDesigns.Bare, () => Task.FromResult(RecordingDesigns.SpecCommandPerCamera(urls, Path.Combine(folder, "ffmpeg-per-camera"), segmentSeconds))),
            ("ffmpeg_for_all", () => Task.FromResult(RecordingDesigns.FfmpegForAll(urls, Path.Combine(folder, "ffmpeg-for-all"), segmentSeconds))),
            ("gstreamer_per_camera", () => Task.FromResult(RecordingDesigns.GStreamerPerCamera(urls, Path.Combine(folder, "gstreamer-per-camera"), segmentSeconds))),
            ("gstreamer_for_all", () => Task.FromResult(RecordingDesigns.GStreamerForAll(urls, Path.Combine(folder, "gstreamer-for-all"), segmentSeconds))),
        };
        if (remuxerServer is not null)
        {
            var engineServer = remuxerServer;
            var remuxerPid = engineServer.Process.Id;
            serverPids.Add(remuxerPid);
            starts.Add((TodayRemuxer, async () =>
            {
                remuxerServerIdlePss = ProcessSampler.PssBytes(remuxerPid);
                var remuxerIds = new List<Guid>();
                for (var i = 0; i < n; i++)
                {
                    remuxerIds.Add(await engineServer.RecordAsync($"bench {i + 1}", urls[i]));
                }

                return new DesignRun(TodayRemuxer, "our recorder, remuxer engine: server + 1 footage-recorder per camera",
                    () => [remuxerPid, .. ProcessSampler.Children(remuxerPid)],
                    async () => RecordedBytes(await MetricsAsync(engineServer.Http), remuxerIds), () => ValueTask.CompletedTask);
            }));
        }

        if (remuxer is not null)
        {
            starts.Add(("remuxer_per_camera", () => Task.FromResult(RecordingDesigns.RemuxerPerCamera(remuxer, urls, Path.Combine(folder, "remuxer-per-camera"), segmentSeconds))));
            starts.Add(("remuxer_forked", () => Task.FromResult(RecordingDesigns.RemuxerForked(remuxer, urls, Path.Combine(folder, "remuxer-forked"), segmentSeconds))));
        }

        var designs = new List<DesignRun>();
        try
        {
            var firstBytes = new Dictionary<string, double>();
            foreach (var (key, start) in starts)
            {
                if (wanted is not null && !wanted.Contains(key) && key != Today)
                {
                    continue; // today's recorder is always measured: the CPU of every other design is given against it
                }

                var design = await start();
                designs.Add(design);
                firstBytes[design.Key] = await UntilEveryCameraRecordsAsync(design, TimeSpan.FromSeconds(90));
            }

            await Task.Delay(TimeSpan.FromSeconds(segmentSeconds + 15));
            var load = BenchResults.LoadAverage();
            var pids = designs.ToDictionary(d => d.Key, d => d.Processes());
            var cpuBefore = designs.ToDictionary(d => d.Key, d => Cpu(d.Processes(), serverPids));
            var bytesBefore = new Dictionary<string, long[]>();
            foreach (var design in designs)
            {
                bytesBefore[design.Key] = await design.RecordedBytesAsync();
            }

            Console.WriteLine($"measuring {designs.Count} designs on {n} cameras for {window.TotalSeconds:F0} s (load {load})");
            var clock = Stopwatch.StartNew();
            await Task.Delay(window);
            var elapsed = clock.Elapsed.TotalSeconds;
            if (!simulator.IsRunning)
            {
                throw new InvalidOperationException($"the camera simulator ended while {n} cameras were measured: no figure of this count means anything");
            }

            var rows = new List<DensityRow>();
            var serverShare = (ProcessSampler.PssBytes(serverPid) - serverIdlePss) / Mb / n;
            var remuxerServerShare = remuxerServer is null ? 0 : (ProcessSampler.PssBytes(remuxerServer.Process.Id) - remuxerServerIdlePss) / Mb / n;
            var todayCores = 0.0;
            foreach (var design in designs)
            {
                var now = design.Processes();
                var cores = Cpu(now, serverPids).Sum(kv => kv.Value - cpuBefore[design.Key].GetValueOrDefault(kv.Key)) / elapsed;
                // a design that replaced today's recording processes would keep the server's share (following, hashing and
                // indexing each file, thumbnails, uploads); the bare command has none.
                // the server's own memory is its growth from idle (the share above); its children are the recording processes
                var recording = now.Where(p => !serverPids.Contains(p)).ToArray();
                var bytes = await design.RecordedBytesAsync();
                var grew = bytes.Select((b, i) => b - bytesBefore[design.Key][i]).ToArray();
                if (design.Key == Today)
                {
                    todayCores = cores;
                }

                rows.Add(new DensityRow(n, design.Key, design.Name, firstBytes[design.Key], now.Length, pids[design.Key].Except(now).Count(), grew.Count(g => g > 0),
                    grew.Sum() * 8 / 1e6 / elapsed / n, cores * 100 / n, 0,
                    recording.Sum(ProcessSampler.PssBytes) / Mb / n, recording.Sum(ProcessSampler.PrivateBytes) / Mb / n,
                    recording.Sum(ProcessSampler.RssBytes) / Mb / n, design.Key switch { RecordingDesigns.Bare => 0, TodayRemuxer => remuxerServerShare, _ => serverShare },
                    load));
            }

            return rows.Select(r => r with { CpuVsToday = todayCores > 0 ? r.CpuPercentPerCamera * n / 100 / todayCores : double.NaN }).ToArray();
        }
        finally
        {
            foreach (var design in designs)
            {
                await design.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Waits until every camera of the design has bytes on disk and returns how long that took from its start: what a
    /// restart of its process costs its cameras (one ffmpeg opens its N inputs one after the other); NaN when it never did.
    /// </summary>
    private static async Task<double> UntilEveryCameraRecordsAsync(DesignRun design, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var bytes = await design.RecordedBytesAsync();
            if (bytes.All(b => b > 0))
            {
                Console.WriteLine($"{design.Key}: every camera on disk after {clock.Elapsed.TotalSeconds:F0} s (load {BenchResults.LoadAverage()})");
                return clock.Elapsed.TotalSeconds;
            }

            if (clock.Elapsed > patience)
            {
                Console.WriteLine($"{design.Key}: {bytes.Count(b => b == 0)} cameras still without bytes after {patience.TotalSeconds:F0} s; measured anyway");
                return double.NaN;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The server's metrics; empty when it does not answer in time (a loaded machine), so that a look is only missed.</summary>
    private static async Task<string> MetricsAsync(HttpClient http)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            return await http.GetStringAsync("metrics", timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return "";
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    /// <summary>CPU seconds used so far by each process; the server's include its children it has reaped (thumbnail ffmpeg, ffprobe).</summary>
    private static Dictionary<int, double> Cpu(int[] pids, HashSet<int> serverPids) =>
        pids.ToDictionary(p => p, p => ProcessSampler.CpuSeconds(p) + (serverPids.Contains(p) ? ProcessSampler.ReapedChildrenCpuSeconds(p) : 0));

    /// <summary>footage_recording_bytes_total of each camera, in the order of <paramref name="ids"/>.</summary>
    private static long[] RecordedBytes(string metrics, IReadOnlyList<Guid> ids)
    {
        var lines = metrics.Split('\n');
        return ids.Select(id =>
        {
            var prefix = $"footage_recording_bytes_total{{camera_id=\"{id}\"}} ";
            var line = lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return line is null ? 0 : (long)double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
        }).ToArray();
    }

    private static string Table(IEnumerable<DensityRow> rows)
    {
        var table = new StringBuilder()
            .AppendLine("| cameras | design | every camera on disk after | processes | cameras recording | written, Mbit/s per camera | CPU per camera, % of a core | CPU vs today's | PSS per camera | USS per camera | RSS per camera | + server's share | all in (PSS + share) | all in (USS + share) |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Cameras} | {r.Name} | {r.SecondsToEveryCamera:F0} s | {r.Processes}{(r.Ended > 0 ? $" ({r.Ended} ended)" : "")} | {r.CamerasRecording}/{r.Cameras} | {r.MbpsWrittenPerCamera:F2} | {r.CpuPercentPerCamera:F3} % | {r.CpuVsToday:F2} | {r.PssMbPerCamera:F2} MB | {r.UssMbPerCamera:F2} MB | {r.RssMbPerCamera:F2} MB | {r.ServerShareMbPerCamera:F2} MB | **{r.PssMbPerCamera + r.ServerShareMbPerCamera:F2} MB** | {r.UssMbPerCamera + r.ServerShareMbPerCamera:F2} MB |"));
        }

        return table.ToString();
    }
}

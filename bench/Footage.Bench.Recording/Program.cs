using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Footage.Bench.Recording;
using Footage.Bench.Results;
using Footage.Testing;

// Recorder overhead against bare ffmpeg: for each camera count N, the simulator serves 2N 720p25 2 Mbit/s streams;
// our recorder (the real server process and its ffmpeg children) records N of them while N bare ffmpeg processes run
// the spec's command on the other N, at the same time, and both are measured over the same window: the machine's
// drift between runs (bare ffmpeg alone measured 28 to 35 % of a core for the same 50 streams on one day) cancels.
// Measuring starts after every camera's first segment was stored and the JIT has settled (so one-off start-up
// work, JIT tiering of the per-segment path included, is not counted) and lasts whole segments (at least 3 minutes),
// so each camera's per-segment work falls into it a whole number of times.
//   dotnet run --project bench/Footage.Bench.Recording -c Release -- [counts=1,10,50] [segment seconds=60] [output.md] [server settings...]
// Server settings after the third argument (e.g. --Footage:Recording:FlushEveryPacket=true) measure a variant.
// A run with default settings appends itself to bench/Footage.Bench.Recording/results.json (the capacity model's input).
if (args.FirstOrDefault() == "density")
{
    await Footage.Bench.Recording.Density.DensityBench.RunAsync(args[1..]);
    return;
}

var counts = (args.Length > 0 ? args[0] : "1,10,50").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var SegmentSeconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
var output = args.Length > 2 && args[2] != "-" ? args[2] : null;
var variant = args.Skip(3).ToArray();
// a whole number of segments, at least 3 minutes: CPU is counted in 10 ms ticks, and one camera's server costs few
var measure = TimeSpan.FromSeconds(SegmentSeconds * Math.Max(1, (int)Math.Ceiling(180.0 / SegmentSeconds)));
var warmup = TimeSpan.FromSeconds(SegmentSeconds + 15);
var JitPatience = TimeSpan.FromMinutes(5);

using var work = new TempFolder("bench-recording");
// the simulator plays the clip once: it must outlast start-up, warm-up and measurement, or the streams end while measured
var clip = await BenchClip.CreateAsync(work.Path, warmup + JitPatience + measure);

var results = new List<string>();
var jitRows = new List<string>();
var rows = new JsonArray();
var startedAt = TimeProvider.System.GetUtcNow();
if (variant.Length > 0)
{
    Console.WriteLine($"server settings: {string.Join(' ', variant)}");
}

foreach (var n in counts)
{
    Console.WriteLine($"== {n} cameras");
    var (ours, bare) = await MeasureAsync(n);
    var cpuRatio = bare.CpuCores > 0 ? ours.CpuCores / bare.CpuCores : double.NaN;
    var ownPerCamera = (ours.ServerPss - ours.ServerBaselinePss) / (double)n;
    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    var line = string.Create(CultureInfo.InvariantCulture,
        $"| {n} | {load} | {ours.CpuCores * 100:F1} % (server {ours.ServerCpuCores * 100:F1} %) | {bare.CpuCores * 100:F1} % | {cpuRatio:F2} | {ours.ChildrenPss / 1048576.0 / n:F1} MB | {bare.ChildrenPss / 1048576.0 / n:F1} MB | {ours.ServerBaselinePss / 1048576.0:F0} → {ours.ServerPss / 1048576.0:F0} MB | {ownPerCamera / 1048576.0:F2} MB | {ours.LatencySeconds * 1000:F0} ms ({ours.Segments}) |");
    Console.WriteLine(line);
    results.Add(line);
    // the JIT still tiering up per-segment code is one-off work: a recorder running for days no longer pays it
    var steady = bare.CpuCores > 0 ? (ours.CpuCores - ours.JitCores) / bare.CpuCores : double.NaN;
    jitRows.Add(string.Create(CultureInfo.InvariantCulture, $"| {n} cameras | {ours.JitMethods} | {ours.JitCores * 100:F2} % | {steady:F2} |"));
    rows.Add(new JsonObject
    {
        ["cameras"] = n,
        ["load_1min"] = BenchResults.LoadAverage(),
        ["cpu_ours_percent"] = Math.Round(ours.CpuCores * 100, 2),
        ["cpu_server_percent"] = Math.Round(ours.ServerCpuCores * 100, 2),
        ["cpu_bare_ffmpeg_percent"] = Math.Round(bare.CpuCores * 100, 2),
        ["cpu_ratio"] = Finite(cpuRatio, 3),
        ["ffmpeg_pss_mb_ours"] = Math.Round(ours.ChildrenPss / 1048576.0 / n, 2),
        ["ffmpeg_pss_mb_bare"] = Math.Round(bare.ChildrenPss / 1048576.0 / n, 2),
        ["server_pss_idle_mb"] = Math.Round(ours.ServerBaselinePss / 1048576.0, 1),
        ["server_pss_recording_mb"] = Math.Round(ours.ServerPss / 1048576.0, 1),
        ["own_memory_mb_per_camera"] = Math.Round(ownPerCamera / 1048576.0, 3),
        ["segment_to_catalog_ms_mean"] = Finite(ours.LatencySeconds * 1000, 0),
        ["segments_measured"] = ours.Segments,
        ["jit_methods_while_measured"] = ours.JitMethods,
        ["jit_cpu_percent"] = Math.Round(ours.JitCores * 100, 3),
        ["cpu_ratio_without_jit"] = Finite(steady, 3),
    });
}

var table = new StringBuilder()
    .AppendLine("| cameras | load (1 min) | CPU ours (server + ffmpeg) | CPU bare ffmpeg | ratio | PSS per ffmpeg, ours | PSS per ffmpeg, bare | server PSS idle → recording | our own memory per camera | segment-to-catalog latency, mean (segments) |")
    .AppendLine("|---|---|---|---|---|---|---|---|---|---|");
results.ForEach(r => table.AppendLine(r));
table.AppendLine()
    .AppendLine("| run | methods the JIT compiled while measured | its CPU | ratio without it |")
    .AppendLine("|---|---|---|---|");
jitRows.ForEach(r => table.AppendLine(r));
Console.WriteLine(table);
if (output is not null)
{
    await File.WriteAllTextAsync(output, table.ToString());
}

if (variant.Length == 0)
{
    var conditions = BenchResults.Conditions("DOTNET_GCgen0size=" + (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "0x2000000"));
    conditions["server_settings"] = new JsonArray();
    var written = await BenchResults.AppendAsync("Footage.Bench.Recording", new JsonObject
    {
        ["measured_at"] = startedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["command"] = "dotnet run --project bench/Footage.Bench.Recording -c Release -- " + string.Join(' ', args.Take(2)),
        ["conditions"] = conditions,
        ["segment_seconds"] = SegmentSeconds,
        ["camera_bitrate_mbps"] = 2,
        ["rows"] = rows,
    });
    Console.WriteLine($"appended to {written}");
}
else
{
    Console.WriteLine("a variant (server settings given): not added to results.json, which holds runs with default settings");
}

async Task<(Measurement Ours, Measurement Bare)> MeasureAsync(int n)
{
    await using var simulator = await CameraSimulator.StartAsync(cameras: 2 * n, clip: clip);
    using var data = new TempFolder("bench-recorder");
    using var bareData = new TempFolder("bench-bare");
    var bare = new List<Process>();
    await using var recorder = await RecorderServer.StartAsync(data.Path, SegmentSeconds, variant);
    var server = recorder.Process;
    try
    {
        var http = recorder.Http;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var baseline = ProcessSampler.PssBytes(server.Id);
        for (var i = 1; i <= n; i++)
        {
            await recorder.RecordAsync($"bench {i}", simulator.Url(i));
            bare.Add(SpecCommand.Start(simulator.Url(n + i), Path.Combine(bareData.Path, i.ToString(CultureInfo.InvariantCulture)), SegmentSeconds));
        }

        await Task.Delay(warmup);
        // then until the JIT has settled: tiering up the per-segment code goes on for minutes when segments close once a
        // minute, and it is one-off work that a recorder running for weeks does not pay again
        var jitted = await JittedAsync(http);
        for (var waited = TimeSpan.Zero; waited < JitPatience; waited += TimeSpan.FromSeconds(15))
        {
            await Task.Delay(TimeSpan.FromSeconds(15));
            var now = await JittedAsync(http);
            var settled = now - jitted < 10;
            jitted = now;
            if (settled)
            {
                break;
            }
        }

        Console.WriteLine($"measuring our recorder and bare ffmpeg for {measure.TotalSeconds:F0} s");
        var atStart = await http.GetStringAsync("metrics");
        jitted = Metric(atStart, "system_runtime_dotnet_jit_compiled_methods");
        var jitTime = MetricStartingWith(atStart, "system_runtime_dotnet_jit_compilation_time");
        var barePids = bare.Select(p => p.Id).ToHashSet();
        // the server's own CPU includes its short-lived children (thumbnail ffmpeg) once they are reaped
        var used = await SampleAsync(() => [server.Id, .. ProcessSampler.Children(server.Id), .. barePids], server.Id);
        var children = ProcessSampler.Children(server.Id);
        var metrics = await http.GetStringAsync("metrics");
        var jitMethods = Metric(metrics, "system_runtime_dotnet_jit_compiled_methods") - jitted;
        var jitCores = (MetricStartingWith(metrics, "system_runtime_dotnet_jit_compilation_time") - jitTime) / measure.TotalSeconds;
        Console.WriteLine($"methods compiled by the JIT while measured: {jitMethods} ({jitCores * 100:F2} % of a core)");
        var sum = Metric(metrics, "footage_recording_segment_to_catalog_seconds_sum");
        var count = Metric(metrics, "footage_recording_segment_to_catalog_seconds_count");
        var ours = new Measurement(used.Where(kv => !barePids.Contains(kv.Key)).Sum(kv => kv.Value), used.GetValueOrDefault(server.Id), baseline,
            ProcessSampler.PssBytes(server.Id), children.Sum(ProcessSampler.PssBytes), count > 0 ? sum / count : double.NaN, (int)count, (int)jitMethods, jitCores);
        var bareMeasured = new Measurement(used.Where(kv => barePids.Contains(kv.Key)).Sum(kv => kv.Value), 0, 0, 0, bare.Sum(p => ProcessSampler.PssBytes(p.Id)), double.NaN, 0);
        if (bare.Any(p => p.HasExited))
        {
            throw new InvalidOperationException("a bare ffmpeg ended while measured");
        }

        return (ours, bareMeasured);
    }
    finally
    {
        foreach (var process in bare)
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}

// CPU cores each process used over the measuring window; processes that came or went meanwhile count what they used in it
async Task<Dictionary<int, double>> SampleAsync(Func<int[]> pids, int withReapedChildren)
{
    double Cpu(int pid) => ProcessSampler.CpuSeconds(pid) + (pid == withReapedChildren ? ProcessSampler.ReapedChildrenCpuSeconds(pid) : 0);
    var before = pids().ToDictionary(p => p, Cpu);
    var clock = Stopwatch.StartNew();
    await Task.Delay(measure);
    var after = pids().ToDictionary(p => p, Cpu);
    var elapsed = clock.Elapsed.TotalSeconds;
    return after.ToDictionary(kv => kv.Key, kv => (kv.Value - before.GetValueOrDefault(kv.Key)) / elapsed);
}

// JSON has no NaN: a figure that could not be measured is null
static double? Finite(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : null;

static async Task<double> JittedAsync(HttpClient http) => Metric(await http.GetStringAsync("metrics"), "system_runtime_dotnet_jit_compiled_methods");

// the JIT's time is exported with its unit appended to the name
static double MetricStartingWith(string text, string name) =>
    text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space && !l[..space].Contains('{', StringComparison.Ordinal))
        .Select(l => double.Parse(l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();

static double Metric(string text, string name) =>
    text.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal))
        .Select(l => double.Parse(l[(name.Length + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();

internal sealed record Measurement(double CpuCores, double ServerCpuCores, long ServerBaselinePss, long ServerPss, long ChildrenPss, double LatencySeconds, int Segments, int JitMethods = 0, double JitCores = 0);

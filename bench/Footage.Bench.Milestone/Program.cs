using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Footage.Milestone;
using Footage.Milestone.Identity;
using Footage.Milestone.ImageServer;
using Footage.Milestone.Recordings;
using Footage.Milestone.Transmux;
using Footage.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Throughput and CPU of the Milestone adapter: the simulator (its own process, not measured) serves a recorded
// 25 fps H.264 camera; N streams at once read the same recorded span through the ImageServer (goto/next), first
// only reading, then reading and transmuxing to MPEG-TS with ffmpeg -c copy. CPU = this process + its ffmpeg children.
//   dotnet run -c Release --project bench/Footage.Bench.Milestone -- [seconds=60] [streams=1,4] [size=1280x720]
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 60;
var streams = (args.Length > 1 ? args[1] : "1,4").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var size = args.Length > 2 ? args[2] : "1280x720";
var lobby = Guid.Parse("3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d");

var root = Directory.GetCurrentDirectory();
while (!File.Exists(Path.Combine(root, "Footage.slnx")))
{
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run from inside the repository.");
}

var port = FreePort();
var work = Path.Combine(Path.GetTempPath(), $"bench-milestone-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
var simulatorStart = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, WorkingDirectory = root };
foreach (var a in new[] { "run", "-c", "Release", "--project", "tests/Footage.Milestone.Simulator", "--", "--port", port.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--size", size })
{
    simulatorStart.ArgumentList.Add(a);
}

using var simulator = Process.Start(simulatorStart)!;
try
{
    while (await simulator.StandardOutput.ReadLineAsync() is { } line && line != "READY")
    {
        Console.WriteLine("simulator: " + line);
    }

    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Footage:DataDirectory"] = work,
        ["Footage:Milestone:ServerUrl"] = $"http://127.0.0.1:{port}/",
        ["Footage:Milestone:Username"] = "operator",
        ["Footage:Milestone:Password"] = "secret",
    }).Build();
    var services = new ServiceCollection()
        .AddSingleton<IConfiguration>(configuration)
        .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
        .AddSingleton(TimeProvider.System);
    services.AddOptions<FootageOptions>().BindConfiguration(FootageOptions.Section);
    services.AddMilestoneBackend();
    await using var provider = services.BuildServiceProvider();
    var session = provider.GetRequiredService<MilestoneSession>();
    var camera = await session.CameraAsync(lobby, CancellationToken.None);
    var sequence = (await provider.GetRequiredService<RecorderCommandClient>().GetSequencesAsync(camera.RecorderUri, await session.TokenAsync(CancellationToken.None),
        lobby, SequenceTypes.Recording, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), 10, CancellationToken.None)).Single();
    var reader = provider.GetRequiredService<RecordedFrameReader>();
    var transmuxer = provider.GetRequiredService<FrameTransmuxer>();

    Console.WriteLine($"{Environment.ProcessorCount} cores; {seconds} s of {size} 25 fps H.264 per stream");
    Console.WriteLine("| mode | streams | frames/s | MB/s | x real time per stream | CPU per stream (% of one core per real-time stream) |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (var transmux in new[] { false, true })
    {
        foreach (var n in streams)
        {
            var cpuBefore = CpuSeconds();
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
            {
                long frames = 0, bytes = 0;
                async IAsyncEnumerable<VideoFrame> Counted()
                {
                    await foreach (var frame in reader.ReadAsync(lobby, sequence.TimeBegin, sequence.TimeEnd.AddSeconds(1)))
                    {
                        frames++;
                        bytes += frame.Data.Length;
                        yield return frame;
                    }
                }

                if (transmux)
                {
                    var path = Path.Combine(work, $"{i}.ts");
                    await transmuxer.TransmuxAsync(Counted(), path, CancellationToken.None);
                    File.Delete(path);
                }
                else
                {
                    await foreach (var _ in Counted())
                    {
                    }
                }

                return (frames, bytes);
            }));
            clock.Stop();
            var cpu = CpuSeconds() - cpuBefore;
            var totalFrames = results.Sum(r => r.frames);
            var totalBytes = results.Sum(r => r.bytes);
            var wall = clock.Elapsed.TotalSeconds;
            var videoSeconds = totalFrames / 25.0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(transmux ? "read + transmux to TS" : "read only")} | {n} | {totalFrames / wall:F0} | {totalBytes / wall / 1048576:F1} | {videoSeconds / n / wall:F1} | {cpu / videoSeconds * 100:F2} % |"));
        }
    }
}
finally
{
    simulator.Kill(entireProcessTree: true);
    await simulator.WaitForExitAsync();
    Directory.Delete(work, recursive: true);
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

// this process plus its ffmpeg children that have ended (utime, stime, cutime, cstime of /proc/self/stat, in 1/100 s)
static double CpuSeconds()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) / 100.0;
}

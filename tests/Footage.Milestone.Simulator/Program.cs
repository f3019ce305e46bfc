using System.Globalization;
using Footage.Milestone.Simulator;

// dotnet run --project tests/Footage.Milestone.Simulator -- [--port 7563] [--seconds 300] [--size 320x180]
// A simulated XProtect with three cameras: "Entrance" recorded over the last minutes with a 1-minute gap, "Lobby"
// recorded without a gap, and "Car park" never recorded. The benchmark starts it the same way on a free port.
var port = 7563;
var seconds = 240.0;
var size = "320x180";
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--size": size = args[i + 1]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}; use --port, --seconds, --size.");
    }
}

var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddSeconds(-(2 * seconds) - 120);
IReadOnlyList<SimulatedCamera> cameras =
[
    new(Guid.Parse("0d6b3c2e-5a1f-4d7e-9b8a-1c2d3e4f5a6b"), "Entrance", [new(start, seconds), new(start.AddSeconds(seconds + 60), seconds)]),
    new(Guid.Parse("3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d"), "Lobby", [new(start, seconds)]),
    new(Guid.Parse("7f1e2d3c-4b5a-4968-8776-655443322110"), "Car park (nothing recorded)", []),
];
await using var simulator = await MilestoneSimulator.StartAsync(cameras, port: port, size: size);
Console.WriteLine($"Simulated Milestone XProtect on {simulator.BaseUri} (user '{simulator.Username}', password '{simulator.Password}'); recordings from {start:O}.");
Console.WriteLine($"Run Footage with --Footage:Milestone:ServerUrl={simulator.BaseUri} --Footage:Milestone:Username={simulator.Username} --Footage:Milestone:Password={simulator.Password}");
Console.WriteLine("READY");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
await stop.Task;

using System.Globalization;
using Footage.Milestone.Simulator;

// dotnet run --project tests/Footage.Milestone.Simulator -- [port]
// A simulated XProtect with two cameras: one recorded for the last 10 minutes with a 1-minute gap, one never recorded.
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7563;
var now = DateTimeOffset.UtcNow;
var start = now.AddMinutes(-10);
IReadOnlyList<SimulatedCamera> cameras =
[
    new(Guid.Parse("0d6b3c2e-5a1f-4d7e-9b8a-1c2d3e4f5a6b"), "Simulated entrance", [new(start, 240), new(start.AddMinutes(5), 300)]),
    new(Guid.Parse("7f1e2d3c-4b5a-4968-8776-655443322110"), "Simulated car park (nothing recorded)", []),
];
await using var simulator = await MilestoneSimulator.StartAsync(cameras, port: port);
Console.WriteLine($"Simulated Milestone XProtect on {simulator.BaseUri} (user '{simulator.Username}', password '{simulator.Password}').");
Console.WriteLine($"Run Footage with --Footage:Milestone:ServerUrl={simulator.BaseUri} --Footage:Milestone:Username={simulator.Username} --Footage:Milestone:Password={simulator.Password}");
Console.WriteLine("Ctrl+C stops it.");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
await stop.Task;

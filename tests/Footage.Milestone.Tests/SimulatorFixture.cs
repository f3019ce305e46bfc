using Footage.Milestone.Simulator;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Milestone.Tests;

/// <summary>
/// One simulated XProtect for a test class, on a fake clock the adapter shares (so token lifetimes can pass in an instant):
/// an H.264 camera recorded in two 20 s spans with a 10 s gap, an H.265 camera with one 6 s span, and a camera with nothing recorded.
/// </summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset T0 = Now.AddHours(-1);
    public static readonly Guid H264Camera = new("11111111-2222-4333-8444-555555555555");
    public static readonly Guid H265Camera = new("66666666-7777-4888-9999-aaaaaaaaaaaa");
    public static readonly Guid EmptyCamera = new("bbbbbbbb-cccc-4ddd-8eee-ffffffffffff");

    public FakeTimeProvider Clock { get; } = new(Now);

    public MilestoneSimulator Simulator { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Simulator = await MilestoneSimulator.StartAsync(
        [
            new SimulatedCamera(H264Camera, "Entrance", [new SimulatedSequence(T0, 20), new SimulatedSequence(T0.AddSeconds(30), 20)]),
            new SimulatedCamera(H265Camera, "Car park (H.265)", [new SimulatedSequence(T0, 6)], Hevc: true),
            new SimulatedCamera(EmptyCamera, "Never recorded", []),
        ], clock: Clock);

    public async ValueTask DisposeAsync() => await Simulator.DisposeAsync();
}

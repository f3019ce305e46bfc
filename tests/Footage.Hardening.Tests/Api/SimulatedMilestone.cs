using Footage.Milestone.Simulator;

namespace Footage.Hardening.Tests.Api;

/// <summary>
/// The Milestone XProtect simulator with one camera that recorded 6 s ten minutes ago, and the settings that point a
/// host at it: the Milestone endpoints exist only on such a host, so the suites that walk the whole API run against one.
/// </summary>
public static class SimulatedMilestone
{
    public static readonly Guid Camera = new("4d4d4d4d-5e5e-4f6f-8a7a-9b8b9b8b9b8b");

    public static Task<MilestoneSimulator> StartAsync(string username = "hardening-milestone-user", string password = "hardening-milestone-password") =>
        MilestoneSimulator.StartAsync(
            [new SimulatedCamera(Camera, "Hardening (Milestone)", [new SimulatedSequence(RecordedAt, 6)])],
            username,
            password);

    public static DateTimeOffset RecordedAt { get; } =
        DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()).AddMinutes(-10);

    /// <summary>Synchronised only on demand, so the suites' own requests are the only Milestone traffic.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(MilestoneSimulator simulator, string? password = null) =>
    [
        new("Footage:Milestone:ServerUrl", simulator.BaseUri.ToString()),
        new("Footage:Milestone:Username", simulator.Username),
        new("Footage:Milestone:Password", password ?? simulator.Password),
        new("Footage:Milestone:SyncInterval", "00:00:00"),
    ];
}

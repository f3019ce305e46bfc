namespace Footage.Milestone.Simulator;

/// <summary>A camera of the simulated XProtect and the spans it recorded (each made of the clip's frames from its start, 40 ms apart).</summary>
public sealed record SimulatedCamera(Guid DeviceId, string Name, IReadOnlyList<SimulatedSequence> Sequences, bool Hevc = false);

/// <summary>A recorded span: its first frame at <paramref name="Start"/>, lasting <paramref name="Seconds"/>.</summary>
public sealed record SimulatedSequence(DateTimeOffset Start, double Seconds);

namespace Footage.Milestone.Simulator;

/// <summary>A frame as the simulated recorder stores it: capture time (ms since the epoch), key flag, Annex-B bytes.</summary>
public sealed record RecordedFrame(long TimeMilliseconds, bool Key, byte[] Data, bool Hevc);

namespace Footage.Milestone.Simulator;

/// <summary>
/// A frame as the simulated recorder stores it: when it arrived (ms since the epoch), when its GOP's key frame arrived
/// (GenericByteData's sync timestamp), key flag, bytes and Milestone's codec number.
/// </summary>
public sealed record RecordedFrame(long TimeMilliseconds, long GopTimeMilliseconds, bool Key, byte[] Data, ushort Codec);

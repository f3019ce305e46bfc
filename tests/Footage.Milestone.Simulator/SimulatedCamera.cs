namespace Footage.Milestone.Simulator;

/// <summary>
/// A camera of the simulated XProtect and the spans it recorded (each made of the clip's frames from its start, 40 ms
/// apart, the clip repeated for spans longer than it), what it sends (H.264 or H.265, with or without B-frames, or
/// JPEG pictures) and the ways its recorder departs from Milestone's documentation (<see cref="RecorderQuirks"/>).
/// </summary>
public sealed record SimulatedCamera(
    Guid DeviceId, string Name, IReadOnlyList<SimulatedSequence> Sequences, bool Hevc = false, bool BFrames = false, bool Jpeg = false,
    RecorderQuirks Quirks = RecorderQuirks.None)
{
    public ClipFormat Format => (Jpeg, Hevc, BFrames) switch
    {
        (true, _, _) => ClipFormat.Jpeg,
        (_, true, true) => ClipFormat.H265BFrames,
        (_, true, false) => ClipFormat.H265,
        (_, false, true) => ClipFormat.H264BFrames,
        _ => ClipFormat.H264,
    };
}

/// <summary>A recorded span: its first frame at <paramref name="Start"/>, lasting <paramref name="Seconds"/>.</summary>
public sealed record SimulatedSequence(DateTimeOffset Start, double Seconds);

namespace Footage.Core.Segments;

/// <summary>The part [From, To) of a stored segment that playback or an export should use.</summary>
public sealed record SegmentWindow(Segment Segment, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>True when the window is the whole segment (nothing of it is left out).</summary>
    public bool IsWhole => From <= Segment.StartTime && To >= Segment.EndTime;
}

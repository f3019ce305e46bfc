namespace Footage.Core.Segments;

/// <summary>One page of segments ordered by start time, and the cursor of the next page (null at the end).</summary>
public sealed record SegmentPage(IReadOnlyList<Segment> Items, string? NextCursor);

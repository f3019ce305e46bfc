using Footage.Core.Segments;

namespace Footage.Storage.Segments;

/// <summary>What deleting a segment did: deleted it, kept it under a hold (and which), or found it already gone.</summary>
public sealed record SegmentDeletion(Segment? Deleted, string? HoldReason)
{
    public static readonly SegmentDeletion Gone = new(null, null);

    public static SegmentDeletion Done(Segment segment) => new(segment, null);

    public static SegmentDeletion Held(string reason) => new(null, reason);

    public bool IsHeld => HoldReason is not null;
}

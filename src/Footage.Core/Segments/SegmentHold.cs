using Footage.Core.Time;

namespace Footage.Core.Segments;

/// <summary>A camera's time range held, why (for example "incident 7f3c..."), and until when (null: until lifted).</summary>
public sealed record SegmentHold(Guid CameraId, TimeRange Range, string Reason, DateTimeOffset? Until = null)
{
    public bool IsActive(DateTimeOffset now) => Until is not { } until || until > now;
}

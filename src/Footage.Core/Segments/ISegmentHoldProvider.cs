using Footage.Core.Time;

namespace Footage.Core.Segments;

/// <summary>
/// Footage that must not be deleted (evidence under an incident). Retention and deletion ask every
/// registered provider; a segment overlapping any hold of its camera is kept.
/// </summary>
public interface ISegmentHoldProvider
{
    Task<IReadOnlyList<SegmentHold>> GetHoldsAsync(CancellationToken cancellationToken);
}

/// <summary>A camera's time range held, and why (for example "incident 7f3c...").</summary>
public sealed record SegmentHold(Guid CameraId, TimeRange Range, string Reason);

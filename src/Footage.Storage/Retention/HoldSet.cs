using Footage.Core.Segments;

namespace Footage.Storage.Retention;

/// <summary>Holds at one moment, grouped by camera for quick checks.</summary>
public sealed class HoldSet(IReadOnlyList<SegmentHold> holds)
{
    private readonly ILookup<Guid, SegmentHold> _byCamera = holds.ToLookup(h => h.CameraId);

    public static readonly HoldSet None = new([]);

    public IReadOnlyList<SegmentHold> All => holds;

    public SegmentHold? Find(Guid cameraId, DateTimeOffset start, DateTimeOffset end) =>
        _byCamera[cameraId].FirstOrDefault(h => h.Range.Overlaps(start, end));
}

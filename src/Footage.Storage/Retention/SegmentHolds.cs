using Footage.Core.Segments;

namespace Footage.Storage.Retention;

/// <summary>All holds of all registered providers (the Metadata module's incidents, for one).</summary>
public sealed class SegmentHolds(IEnumerable<ISegmentHoldProvider> providers)
{
    public async Task<HoldSet> SnapshotAsync(CancellationToken cancellationToken)
    {
        var holds = new List<SegmentHold>();
        foreach (var provider in providers)
        {
            holds.AddRange(await provider.GetHoldsAsync(cancellationToken));
        }

        return new HoldSet(holds);
    }
}

/// <summary>Holds at one moment, grouped by camera for quick checks.</summary>
public sealed class HoldSet(IReadOnlyList<SegmentHold> holds)
{
    private readonly ILookup<Guid, SegmentHold> _byCamera = holds.ToLookup(h => h.CameraId);

    public static readonly HoldSet None = new([]);

    public IReadOnlyList<SegmentHold> All => holds;

    public SegmentHold? Find(Guid cameraId, DateTimeOffset start, DateTimeOffset end) =>
        _byCamera[cameraId].FirstOrDefault(h => h.Range.Overlaps(start, end));
}

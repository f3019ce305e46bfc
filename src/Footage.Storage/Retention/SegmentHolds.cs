using Footage.Core.Segments;

namespace Footage.Storage.Retention;

/// <summary>The holds in force now, read from the holds record, for showing them on segments (deletions check the record themselves).</summary>
public sealed class SegmentHolds(ISegmentHoldLedger ledger)
{
    public async Task<HoldSet> SnapshotAsync(CancellationToken cancellationToken) => new(await ledger.ActiveAsync(cancellationToken));
}

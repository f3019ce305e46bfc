using Footage.Core.Segments;
using Footage.Data;
using Footage.Metadata.Incidents;
using Microsoft.Extensions.Options;

namespace Footage.Metadata.Holds;

/// <summary>
/// At start-up, before the host serves or deletes anything, rewrites the holds of every incident that holds footage (the
/// hold after closing may have been changed, and a database from before the holds record has incidents but no holds).
/// </summary>
public sealed class IncidentHoldSync(
    IDatabase database, IncidentRepository incidents, IncidentHolds holds, ISegmentHoldLedger ledger, IOptions<MetadataOptions> options, TimeProvider clock)
    : IDatabaseStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // locked before reading: an incident saved meanwhile waits and then writes its own holds over ours
        await ledger.LockAsync(connection, transaction, cancellationToken);
        var holding = await incidents.HoldingAsync(connection, transaction, clock.GetUtcNow() - options.Value.EvidenceHoldAfterClose, cancellationToken);
        await holds.WriteAllAsync(connection, transaction, holding, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        holds.Committed();
    }
}

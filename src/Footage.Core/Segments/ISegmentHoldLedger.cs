using System.Data.Common;

namespace Footage.Core.Segments;

/// <summary>
/// The Storage module's record of evidence holds (the <c>segment_holds</c> table). Whoever places or lifts a hold writes it
/// here in the same transaction as its own change (an incident, for one), so a deletion, which checks this record in its
/// own statement, can never slip between a hold being decided and the hold being enforced.
/// </summary>
public interface ISegmentHoldLedger
{
    /// <summary>
    /// Replaces the holds of one owner (<paramref name="source"/> "incident", <paramref name="sourceId"/> its id) inside the
    /// caller's transaction; an empty list lifts them. Returns the ids of the segments the new holds cover at that moment.
    /// </summary>
    Task<IReadOnlyList<Guid>> ReplaceAsync(DbConnection connection, DbTransaction transaction, string source, string sourceId,
        IReadOnlyList<SegmentHold> holds, CancellationToken cancellationToken);

    /// <summary>Takes the holds record's lock for the rest of the caller's transaction (before reading what the holds are made from).</summary>
    Task LockAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Replaces every hold of a source at once (a start-up resynchronisation), inside the caller's transaction.</summary>
    Task ReplaceSourceAsync(DbConnection connection, DbTransaction transaction, string source,
        IReadOnlyList<(string SourceId, SegmentHold Hold)> holds, CancellationToken cancellationToken);

    /// <summary>Holds in force now (not ended), for showing them.</summary>
    Task<IReadOnlyList<SegmentHold>> ActiveAsync(CancellationToken cancellationToken);

    /// <summary>Tells the store's hold keeper, after the caller committed, that holds changed (it copies and locks held footage now).</summary>
    void Changed();
}

using System.Data.Common;
using Footage.Core.Segments;
using Footage.Core.Time;
using Footage.Data;

namespace Footage.Storage.Holds;

/// <summary>
/// The <c>segment_holds</c> table: every hold with its owner, written in the owner's transaction (see
/// <see cref="ISegmentHoldLedger"/>). Deletions check it in their own statement (<see cref="HoldSql"/>).
/// </summary>
public sealed class SegmentHoldLedger(IDatabase database, TimeProvider clock) : ISegmentHoldLedger, IDisposable
{
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>Completes when <see cref="Changed"/> was called since the last wait (the hold keeper waits on it).</summary>
    public async Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _changed.WaitAsync(timeout, cancellationToken);

    public void Changed()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // a change is already signalled
        }
    }

    public async Task<IReadOnlyList<Guid>> ReplaceAsync(DbConnection connection, DbTransaction transaction, string source, string sourceId,
        IReadOnlyList<SegmentHold> holds, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await HoldSql.LockForHoldChangeAsync(connection, transaction, d, cancellationToken);
        await using (var delete = connection.Command("DELETE FROM segment_holds WHERE source = @source AND source_id = @source_id", transaction)
                         .With("source", source).With("source_id", sourceId))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var now = clock.GetUtcNow();
        foreach (var hold in holds)
        {
            await InsertAsync(connection, transaction, d, source, sourceId, hold, now, cancellationToken);
        }

        return await CoveredAsync(connection, transaction, d, holds, now, cancellationToken);
    }

    public Task LockAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        HoldSql.LockForHoldChangeAsync(connection, transaction, database.Dialect, cancellationToken);

    public async Task ReplaceSourceAsync(DbConnection connection, DbTransaction transaction, string source,
        IReadOnlyList<(string SourceId, SegmentHold Hold)> holds, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await HoldSql.LockForHoldChangeAsync(connection, transaction, d, cancellationToken);
        await using (var delete = connection.Command("DELETE FROM segment_holds WHERE source = @source", transaction).With("source", source))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var now = clock.GetUtcNow();
        foreach (var (sourceId, hold) in holds)
        {
            await InsertAsync(connection, transaction, d, source, sourceId, hold, now, cancellationToken);
        }
    }

    /// <summary>Places or lifts holds on their own (tests, and owners without a transaction of their own).</summary>
    public async Task<IReadOnlyList<Guid>> ReplaceAsync(string source, string sourceId, IReadOnlyList<SegmentHold> holds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var covered = await ReplaceAsync(connection, transaction, source, sourceId, holds, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Changed();
        return covered;
    }

    public void Dispose() => _changed.Dispose();

    public async Task<IReadOnlyList<SegmentHold>> ActiveAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "SELECT camera_id, start_time, end_time, reason, until_time FROM segment_holds WHERE until_time IS NULL OR until_time > @now ORDER BY start_time")
            .With("now", d.Time(clock.GetUtcNow()));
        var holds = new List<SegmentHold>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            holds.Add(new SegmentHold(d.ReadId(reader, 0), new TimeRange(d.ReadTime(reader, 1), d.ReadTime(reader, 2)), reader.GetString(3),
                d.ReadNullableTime(reader, 4)));
        }

        return holds;
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, SqlDialect d, string source, string sourceId, SegmentHold hold,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(
                """
                INSERT INTO segment_holds (id, source, source_id, camera_id, start_time, end_time, until_time, reason, created_at)
                VALUES (@id, @source, @source_id, @camera, @start, @end, @until, @reason, @created)
                """, transaction)
            .With("id", d.Id(Guid.NewGuid())).With("source", source).With("source_id", sourceId).With("camera", d.Id(hold.CameraId))
            .With("start", d.Time(hold.Range.Start)).With("end", d.Time(hold.Range.End)).With("until", d.NullableTime(hold.Until))
            .With("reason", hold.Reason).With("created", d.Time(now));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The segments the holds cover as the transaction sees them (under the exclusive lock, so no deletion is in flight).</summary>
    private static async Task<IReadOnlyList<Guid>> CoveredAsync(DbConnection connection, DbTransaction transaction, SqlDialect d,
        IReadOnlyList<SegmentHold> holds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        foreach (var hold in holds.Where(h => h.IsActive(now)))
        {
            await using var command = connection.Command(
                    "SELECT id FROM segments WHERE camera_id = @camera AND end_time > @start AND start_time >= @start_low AND start_time < @end", transaction)
                .With("camera", d.Id(hold.CameraId)).With("start", d.Time(hold.Range.Start))
                .With("start_low", d.Time(hold.Range.Start - Segments.SegmentRepository.MaxSegmentDuration)).With("end", d.Time(hold.Range.End));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(d.ReadId(reader, 0));
            }
        }

        return ids;
    }
}

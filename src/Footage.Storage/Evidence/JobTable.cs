using System.Data.Common;
using Footage.Data;

namespace Footage.Storage.Evidence;

/// <summary>
/// The queue that the <c>exports</c> and <c>clips</c> tables both are (<c>status</c>, <c>heartbeat_at</c>, <c>created_at</c>):
/// a PENDING row is claimed by exactly one worker (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, SQLite's single writer
/// otherwise), its worker beats while it works, and a PROCESSING row whose worker stopped beating goes back to PENDING.
/// </summary>
public sealed class JobTable(IDatabase database, TimeProvider clock, string table, string columns)
{
    /// <summary>Takes the oldest PENDING row for this worker, or null when there is none.</summary>
    public async Task<T?> ClaimNextAsync<T>(Func<DbDataReader, SqlDialect, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"""
                 UPDATE {table} SET status = 'PROCESSING', heartbeat_at = @now
                 WHERE id = (SELECT id FROM {table} WHERE status = 'PENDING' ORDER BY created_at, id LIMIT 1 {(d.IsPostgres ? "FOR UPDATE SKIP LOCKED" : string.Empty)})
                 RETURNING {columns}
                 """)
            .With("now", d.Time(clock.GetUtcNow()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader, d) : null;
    }

    public async Task HeartbeatAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"UPDATE {table} SET heartbeat_at = @now WHERE id = @id AND status = 'PROCESSING'")
            .With("now", d.Time(clock.GetUtcNow())).With("id", d.Id(id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Gives a claimed row back to the queue untouched (its worker cannot make it now).</summary>
    public async Task RequeueAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"UPDATE {table} SET status = 'PENDING', heartbeat_at = NULL WHERE id = @id AND status = 'PROCESSING'")
            .With("id", d.Id(id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Puts back rows whose worker stopped beating (a crash), so another worker takes them.</summary>
    public async Task<int> RequeueStaleAsync(TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"UPDATE {table} SET status = 'PENDING' WHERE status = 'PROCESSING' AND (heartbeat_at IS NULL OR heartbeat_at < @stale)")
            .With("stale", d.Time(clock.GetUtcNow() - staleAfter));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

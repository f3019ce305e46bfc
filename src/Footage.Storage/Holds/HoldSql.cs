using System.Data.Common;
using Footage.Data;

namespace Footage.Storage.Holds;

/// <summary>
/// The SQL that makes holds and deletions atomic. A deletion removes a row only when no hold in force overlaps it, checked
/// by the DELETE statement itself; on PostgreSQL a deletion also takes a shared advisory lock and every change of the holds
/// record the exclusive one, so a hold committed before the deletion's statement is always seen by it, and a hold being
/// written waits for deletions in flight (and they for it). SQLite writes one transaction at a time, which gives the same.
/// </summary>
public static class HoldSql
{
    private const long LockKey = 0x466F6F74486F6C64; // "FootHold"

    /// <summary>True for a row of <paramref name="segments"/> that a hold in force overlaps; binds <c>@hold_now</c>.</summary>
    public static string Held(string segments) =>
        $"""
         EXISTS (SELECT 1 FROM segment_holds h WHERE h.camera_id = {segments}.camera_id AND h.start_time < {segments}.end_time
                 AND h.end_time > {segments}.start_time AND (h.until_time IS NULL OR h.until_time > @hold_now))
         """;

    /// <summary>Taken by every transaction that deletes footage (shared: deletions do not wait for each other).</summary>
    public static async Task LockForDeletionAsync(DbConnection connection, DbTransaction transaction, SqlDialect d, CancellationToken cancellationToken)
    {
        if (d.IsPostgres)
        {
            await connection.ExecuteAsync($"SELECT pg_advisory_xact_lock_shared({LockKey})", cancellationToken, transaction);
        }
    }

    /// <summary>Taken by every transaction that changes the holds record.</summary>
    public static async Task LockForHoldChangeAsync(DbConnection connection, DbTransaction transaction, SqlDialect d, CancellationToken cancellationToken)
    {
        if (d.IsPostgres)
        {
            await connection.ExecuteAsync($"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken, transaction);
        }
    }
}

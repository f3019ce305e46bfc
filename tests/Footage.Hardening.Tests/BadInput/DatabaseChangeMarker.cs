using System.Data.Common;
using System.Globalization;
using Footage.Data;

namespace Footage.Hardening.Tests.BadInput;

/// <summary>
/// A value that stays the same only while nothing was written to the database, read on a connection of its own kept
/// open, so that a snapshot of every table can be reused instead of read again after each of thousands of requests.
/// SQLite: <c>PRAGMA data_version</c>, which changes when any other connection commits. PostgreSQL: the current
/// transaction snapshot, whose next transaction id moves when any transaction of the server starts writing; it is only
/// trusted when no writing transaction is in progress (one that began earlier could commit without moving it).
/// Writes nobody asked for (leases, heartbeats, other tests on the same server) only cost a full read, never a miss.
/// </summary>
public sealed class DatabaseChangeMarker : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly bool _postgres;

    private DatabaseChangeMarker(DbConnection connection, bool postgres)
    {
        _connection = connection;
        _postgres = postgres;
    }

    public static async Task<DatabaseChangeMarker> OpenAsync(IDatabase database) =>
        new(await database.OpenAsync(CancellationToken.None), database.Dialect.IsPostgres);

    /// <summary>The marker now, or null when it cannot vouch for anything (a writing transaction is in progress).</summary>
    public async Task<string?> ReadAsync()
    {
        await using var command = _connection.Command(_postgres ? "SELECT pg_current_snapshot()::text" : "PRAGMA data_version");
        var value = Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
        if (!_postgres)
        {
            return value;
        }

        // "xmin:xmax:xip_list": with no transaction in progress, xmin equals xmax and the list is empty
        var parts = value.Split(':');
        return parts.Length == 3 && parts[0] == parts[1] && parts[2].Length == 0 ? value : null;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

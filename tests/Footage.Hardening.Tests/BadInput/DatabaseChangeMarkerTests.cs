using Footage.Data;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.BadInput;

/// <summary>
/// The bad-input tests reuse their last read of every table while <see cref="DatabaseChangeMarker"/> stays the same: a
/// marker that stayed the same across a write would hide a change a refused request made. Here a write from another
/// connection, committed or begun before the marker was read, always moves it (or makes it vouch for nothing).
/// </summary>
public abstract class DatabaseChangeMarkerTests(DatabaseKind kind, PostgresServer postgres) : IAsyncLifetime
{
    private readonly TempFolder _folder = new("footage-change-marker");
    private IDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = kind == DatabaseKind.Postgres
            ? new PostgresDatabase(await postgres.CreateDatabaseAsync(), 30)
            : new SqliteDatabase($"Data Source={Path.Combine(_folder.Path, "marker.db")}", 30);
        await ExecuteAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    }

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_committed_write_from_another_connection_moves_the_marker()
    {
        await using var marker = await DatabaseChangeMarker.OpenAsync(_database);
        var before = await marker.ReadAsync();
        await ExecuteAsync("INSERT INTO notes (id, body) VALUES (1, 'gate opened')");
        var after = await marker.ReadAsync();
        Assert.True(after is null || after != before, $"the marker stayed {before} across a committed insert");
        await ExecuteAsync("UPDATE notes SET body = 'gate closed' WHERE id = 1");
        Assert.True(await marker.ReadAsync() is not { } third || third != after, "the marker stayed the same across a committed update");
    }

    [Fact]
    public async Task A_write_begun_before_the_marker_was_read_and_committed_after_moves_it()
    {
        await using var marker = await DatabaseChangeMarker.OpenAsync(_database);
        await using var writer = await _database.OpenAsync(CancellationToken.None);
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var insert = writer.Command("INSERT INTO notes (id, body) VALUES (2, 'van seen')", transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var during = await marker.ReadAsync();
        await transaction.CommitAsync();
        var after = await marker.ReadAsync();
        Assert.True(during is null || after is null || after != during, $"the marker stayed {during} while a write begun before it committed");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class SqliteDatabaseChangeMarkerTests(PostgresServer postgres) : DatabaseChangeMarkerTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresDatabaseChangeMarkerTests(PostgresServer postgres) : DatabaseChangeMarkerTests(DatabaseKind.Postgres, postgres);

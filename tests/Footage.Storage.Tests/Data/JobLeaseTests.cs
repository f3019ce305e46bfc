using Footage.Data;
using Footage.Data.Migrations;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Storage.Tests.Data;

/// <summary>The lease that keeps one retention run at a time across processes, on SQLite and PostgreSQL.</summary>
public abstract class JobLeaseTests(DatabaseKind kind, PostgresServer postgres) : IAsyncLifetime
{
    private readonly TempFolder _folder = new("lease");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private IDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = kind == DatabaseKind.Postgres
            ? new PostgresDatabase(await postgres.CreateDatabaseAsync(), 30)
            : new SqliteDatabase($"Data Source={Path.Combine(_folder.Path, "lease.db")}", 30);
        await new MigrationRunner(_database, [new SharedMigrations()], NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task A_holder_renews_its_lease_and_another_gets_it_only_once_it_expired_or_was_released()
    {
        var lease = new JobLease(_database, _clock);
        var window = TimeSpan.FromMinutes(30);
        Assert.True(await lease.TryAcquireAsync("retention", "run-a", window, CancellationToken.None));
        Assert.False(await lease.TryAcquireAsync("retention", "run-b", window, CancellationToken.None));

        // a renewal 20 minutes in carries the lease past its first expiry
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True(await lease.TryAcquireAsync("retention", "run-a", window, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.False(await lease.TryAcquireAsync("retention", "run-b", window, CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(11));
        Assert.True(await lease.TryAcquireAsync("retention", "run-b", window, CancellationToken.None));
        await lease.ReleaseAsync("retention", "run-b", CancellationToken.None);
        Assert.True(await lease.TryAcquireAsync("retention", "run-c", window, CancellationToken.None));
    }
}

public sealed class SqliteJobLeaseTests(PostgresServer postgres) : JobLeaseTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresJobLeaseTests(PostgresServer postgres) : JobLeaseTests(DatabaseKind.Postgres, postgres);

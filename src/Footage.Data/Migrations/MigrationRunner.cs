using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Footage.Data.Migrations;

/// <summary>
/// Applies every module's pending migrations at start-up, each in its own transaction, recorded in
/// <c>schema_migrations</c>. Hand-written rather than a migration library because our migrations are plain
/// SQL per dialect and the whole job is this class; on PostgreSQL an advisory lock keeps several processes
/// starting at once from applying the same migration twice.
/// </summary>
public sealed class MigrationRunner(IDatabase database, IEnumerable<IMigrationSource> sources, ILogger<MigrationRunner> logger)
{
    private const long AdvisoryLockKey = 0x466F6F74616765; // "Footage"

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var postgres = database.Dialect.IsPostgres;
        if (postgres)
        {
            await connection.ExecuteAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        }

        try
        {
            await connection.ExecuteAsync(
                postgres
                    ? "CREATE TABLE IF NOT EXISTS schema_migrations (module VARCHAR(50) NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), PRIMARY KEY (module, version))"
                    : "CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (module, version))",
                cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            // in the order the modules were registered, so that a module's tables may reference those of a module added before it
            var pending = sources.SelectMany((s, index) => s.Migrations.Select(m => (Index: index, Migration: m)))
                .Where(x => !applied.Contains((x.Migration.Module, x.Migration.Version)))
                .OrderBy(x => x.Index).ThenBy(x => x.Migration.Version)
                .Select(x => x.Migration)
                .ToList();

            foreach (var migration in pending)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(postgres ? migration.PostgresSql : migration.SqliteSql, cancellationToken, transaction);
                await using (var record = connection.Command(
                                 "INSERT INTO schema_migrations (module, version, name) VALUES (@module, @version, @name)", transaction))
                {
                    await record.With("module", migration.Module).With("version", migration.Version).With("name", migration.Name)
                        .ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Module} {Version} {Name} to {Database}",
                    migration.Module, migration.Version, migration.Name, database.Description);
            }

            return pending.Count;
        }
        finally
        {
            if (postgres)
            {
                await connection.ExecuteAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
    }

    private static async Task<HashSet<(string, int)>> ReadAppliedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var applied = new HashSet<(string, int)>();
        await using var command = connection.Command("SELECT module, version FROM schema_migrations");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return applied;
    }
}

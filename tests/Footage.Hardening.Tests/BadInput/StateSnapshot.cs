using System.Data.Common;
using System.Globalization;
using System.Text;
using Footage.Data;

namespace Footage.Hardening.Tests.BadInput;

/// <summary>
/// Everything a request could change, as text: every row of every table of the catalog database and every
/// file of the data folder (path and size). Two equal snapshots mean nothing changed in between.
/// </summary>
public static class StateSnapshot
{
    /// <summary>Bookkeeping that changes without any request: migrations, the leases, recorder heartbeats and camera health reports renewed in the background.</summary>
    private static readonly HashSet<string> IgnoredTables = new(StringComparer.OrdinalIgnoreCase) { "schema_migrations", "job_leases", "camera_leases", "recorders", "camera_health" };

    public static async Task<string> TakeAsync(IDatabase database, string dataDirectory) =>
        await TablesAsync(database) + Files(dataDirectory);

    /// <summary>Every row of every table but the background bookkeeping, as text.</summary>
    public static async Task<string> TablesAsync(IDatabase database)
    {
        var text = new StringBuilder();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        foreach (var table in await TableNamesAsync(connection, database.Dialect))
        {
            if (IgnoredTables.Contains(table))
            {
                continue;
            }

            var rows = new List<string>();
            await using var command = connection.Command($"SELECT * FROM {table}");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.GetName(i) == "last_used_at")
                    {
                        continue;
                    }

                    row.Append(reader.GetName(i)).Append('=').Append(Convert.ToString(await reader.IsDBNullAsync(i) ? "NULL" : reader.GetValue(i), CultureInfo.InvariantCulture)).Append(';');
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            text.Append("table ").Append(table).Append('\n');
            foreach (var row in rows)
            {
                text.Append("  ").Append(row).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Every file of the data folder (path and size) but the database's own, as text.</summary>
    public static string Files(string dataDirectory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith("footage.db", StringComparison.Ordinal) || name.EndsWith(".db-wal", StringComparison.Ordinal) || name.EndsWith(".db-shm", StringComparison.Ordinal) ||
                name.EndsWith(".db", StringComparison.Ordinal) || name.EndsWith(".db-journal", StringComparison.Ordinal))
            {
                continue;
            }

            long length;
            try
            {
                length = new FileInfo(file).Length;
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            text.Append("file ").Append(Path.GetRelativePath(dataDirectory, file)).Append(' ').Append(length).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The first line where two snapshots differ, for the failure message.</summary>
    public static string Difference(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "(none)";
            var y = i < b.Length ? b[i] : "(none)";
            if (x != y)
            {
                return $"before: {x}\n after: {y}";
            }
        }

        return "(same)";
    }

    private static async Task<List<string>> TableNamesAsync(DbConnection connection, SqlDialect dialect)
    {
        var sql = !dialect.IsPostgres
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename";
        var tables = new List<string>();
        await using var command = connection.Command(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}

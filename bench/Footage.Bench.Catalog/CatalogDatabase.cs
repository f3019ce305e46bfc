using Npgsql;

namespace Footage.Bench.Catalog;

/// <summary>Questions the benchmark asks PostgreSQL directly: version, settings, sizes, plans and index use.</summary>
public sealed class CatalogDatabase(string connectionString)
{
    // no pool: these few connections must not outlive the server's restarts
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    /// <summary>The WHERE/ORDER BY that <c>SegmentRepository.ListAsync</c> builds for a from/to query, kept in step with it by hand.</summary>
    public const string ListSql =
        "SELECT id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_path, checksum, thumbnail_path, created_at " +
        "FROM segments WHERE camera_id = @camera AND end_time > @from AND start_time >= @from_low AND start_time < @to ORDER BY start_time, id LIMIT @limit";

    public static readonly string[] ReportedSettings =
        ["fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "work_mem", "max_connections", "random_page_cost", "effective_cache_size"];

    public async Task<string> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(string Name, string Value)>> SettingsAsync(CancellationToken cancellationToken)
    {
        var result = new List<(string, string)>();
        foreach (var name in ReportedSettings)
        {
            result.Add((name, await ScalarAsync($"SHOW {name}", cancellationToken)));
        }

        return result;
    }

    /// <summary>Heap, indexes and TOAST (where the key-frame indexes live) of the segments table.</summary>
    public async Task<string> SegmentsSizeAsync(CancellationToken cancellationToken) =>
        await ScalarAsync(
            "SELECT 'table ' || pg_size_pretty(pg_relation_size('segments')) || ', indexes ' || pg_size_pretty(pg_indexes_size('segments')) || " +
            "', TOAST (key-frame indexes) ' || pg_size_pretty(pg_total_relation_size('segments') - pg_relation_size('segments') - pg_indexes_size('segments')) || " +
            "', total ' || pg_size_pretty(pg_total_relation_size('segments'))",
            cancellationToken);

    /// <summary>The segments table's heap, indexes and out-of-line (TOAST) bytes, for the results file.</summary>
    public async Task<(long Table, long Indexes, long Toast)> SegmentsSizeBytesAsync(CancellationToken cancellationToken)
    {
        var parts = (await ScalarAsync(
            "SELECT pg_relation_size('segments') || ' ' || pg_indexes_size('segments') || ' ' || " +
            "(pg_total_relation_size('segments') - pg_relation_size('segments') - pg_indexes_size('segments'))",
            cancellationToken)).Split(' ').Select(p => long.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (parts[0], parts[1], parts[2]);
    }

    public async Task<string> ExplainListAsync(Guid camera, DateTimeOffset day, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + ListSql, connection);
        command.Parameters.AddWithValue("camera", camera);
        command.Parameters.AddWithValue("from", day);
        command.Parameters.AddWithValue("from_low", day.AddHours(-24));
        command.Parameters.AddWithValue("to", day.AddDays(1));
        command.Parameters.AddWithValue("limit", 101);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    /// <summary>Index scans so far per index of the segments table (the statistics collector's count).</summary>
    public async Task<Dictionary<string, long>> IndexScansAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relname = 'segments'", connection);
        var scans = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            scans[reader.GetString(0)] = reader.GetInt64(1);
        }

        return scans;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}

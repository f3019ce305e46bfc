using System.Data.Common;
using Footage.Data;

namespace Footage.Metadata.Search;

/// <summary>
/// <see cref="TextStatistics"/> of the <c>search_vector</c> of a PostgreSQL table, read from <c>pg_stats</c> and kept for
/// <see cref="RefreshInterval"/>: ANALYZE (autovacuum's or an operator's) changes them slowly, and a search should
/// not read a thousand-element array each time. While one caller reads them again the others use the old figures.
/// </summary>
public abstract class CachedTextStatistics(TimeProvider clock, string table) : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Snapshot? _current;

    public async ValueTask<TextStatistics> GetAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && clock.GetUtcNow() - current.ReadAt < RefreshInterval)
        {
            return current.Statistics;
        }

        // the first search waits for the figures; later ones keep the old figures while another caller reads new ones
        if (current is null)
        {
            await _reading.WaitAsync(cancellationToken);
        }
        else if (!await _reading.WaitAsync(0, cancellationToken))
        {
            return current.Statistics;
        }

        try
        {
            current = _current;
            if (current is null || clock.GetUtcNow() - current.ReadAt >= RefreshInterval)
            {
                current = new Snapshot(await ReadAsync(connection, cancellationToken), clock.GetUtcNow());
                _current = current;
            }

            return current.Statistics;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Reads the figures again now (after an ANALYZE that must take effect at once).</summary>
    public async Task RefreshAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            _current = new Snapshot(await ReadAsync(connection, cancellationToken), clock.GetUtcNow());
        }
        finally
        {
            _reading.Release();
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reading.Dispose();
        }
    }

    private async Task<TextStatistics> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // most_common_elem_freqs lists one share per element, then the smallest and largest share and the share of nulls
        await using var command = connection.Command(
            """
            SELECT c.reltuples::float8, s.most_common_elems::text::text[], s.most_common_elem_freqs::float8[]
            FROM pg_class c
            LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = @table AND s.attname = 'search_vector'
            WHERE c.oid = @table::regclass
            """).With("table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || await reader.IsDBNullAsync(1, cancellationToken) || await reader.IsDBNullAsync(2, cancellationToken))
        {
            return TextStatistics.None;
        }

        var rows = reader.GetDouble(0);
        var lexemes = await reader.GetFieldValueAsync<string[]>(1, cancellationToken);
        var shares = await reader.GetFieldValueAsync<double[]>(2, cancellationToken);
        if (shares.Length < lexemes.Length + 1)
        {
            return TextStatistics.None;
        }

        var frequencies = new Dictionary<string, double>(lexemes.Length, StringComparer.Ordinal);
        for (var i = 0; i < lexemes.Length; i++)
        {
            frequencies[lexemes[i]] = shares[i];
        }

        return new TextStatistics(frequencies, shares[lexemes.Length], rows);
    }

    private sealed record Snapshot(TextStatistics Statistics, DateTimeOffset ReadAt);
}

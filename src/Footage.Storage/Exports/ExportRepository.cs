using System.Data.Common;
using Footage.Data;
using Footage.Storage.Evidence;

namespace Footage.Storage.Exports;

/// <summary>The <c>exports</c> table: jobs are claimed atomically so that any number of workers can share them.</summary>
public sealed class ExportRepository(IDatabase database, TimeProvider clock)
{
    private const string Columns =
        "id, camera_ids, start_time, end_time, format, reason, status, storage_backend, file_path, file_size, checksum, manifest_path, expires_at, created_by, created_at, completed_at, error";

    public async Task InsertAsync(Export export, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                INSERT INTO exports (id, camera_ids, start_time, end_time, format, reason, status, created_by, created_at)
                VALUES (@id, @cameras, @start, @end, @format, @reason, 'PENDING', @by, @at)
                """)
            .With("id", d.Id(export.Id)).With("cameras", d.Ids(export.CameraIds.ToArray())).With("start", d.Time(export.StartTime))
            .With("end", d.Time(export.EndTime)).With("format", export.Format).With("reason", export.Reason)
            .With("by", export.CreatedBy).With("at", d.Time(export.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Export?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM exports WHERE id = @id").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
    }

    public async Task<IReadOnlyList<Export>> ListRecentAsync(int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM exports ORDER BY created_at DESC, id LIMIT @limit").With("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var exports = new List<Export>();
        while (await reader.ReadAsync(cancellationToken))
        {
            exports.Add(Read(reader, d));
        }

        return exports;
    }

    private readonly JobTable _queue = new(database, clock, "exports", Columns);

    /// <summary>Takes the oldest PENDING export for this worker, or null when there is none.</summary>
    public Task<Export?> ClaimNextAsync(CancellationToken cancellationToken) => _queue.ClaimNextAsync(Read, cancellationToken);

    public Task HeartbeatAsync(Guid id, CancellationToken cancellationToken) => _queue.HeartbeatAsync(id, cancellationToken);

    public async Task CompleteAsync(Guid id, string backend, string filePath, long fileSize, string checksum, string manifestPath, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                UPDATE exports SET status = 'COMPLETED', storage_backend = @backend, file_path = @path, file_size = @size, checksum = @checksum,
                    manifest_path = @manifest, expires_at = @expires, completed_at = @now, download_url = @url, error = NULL
                WHERE id = @id
                """)
            .With("backend", backend).With("path", filePath).With("size", fileSize).With("checksum", checksum).With("manifest", manifestPath)
            .With("expires", d.Time(expiresAt)).With("now", d.Time(clock.GetUtcNow())).With("url", $"/api/v1/storage/exports/{id}/download")
            .With("id", d.Id(id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task FailAsync(Guid id, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE exports SET status = 'FAILED', error = @error, completed_at = @now WHERE id = @id", id, error, cancellationToken);

    /// <summary>Gives a claimed export back to the queue untouched (its worker cannot make it now).</summary>
    public Task RequeueAsync(Guid id, CancellationToken cancellationToken) => _queue.RequeueAsync(id, cancellationToken);

    /// <summary>Exports of one author waiting or being made.</summary>
    public async Task<int> CountQueuedAsync(string createdBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT COUNT(*) FROM exports WHERE created_by = @by AND status IN ('PENDING', 'PROCESSING')")
            .With("by", createdBy);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Puts back exports whose worker stopped beating (a crash), so another worker takes them.</summary>
    public Task<int> RequeueStaleAsync(TimeSpan staleAfter, CancellationToken cancellationToken) => _queue.RequeueStaleAsync(staleAfter, cancellationToken);

    private async Task ExecuteAsync(string sql, Guid id, string? error, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(sql).With("now", d.Time(clock.GetUtcNow())).With("id", d.Id(id));
        if (error is not null)
        {
            command.With("error", error);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Export Read(DbDataReader r, SqlDialect d)
    {
        Enum.TryParse<ExportStatus>(r.GetString(6), ignoreCase: true, out var status);
        return new Export(d.ReadId(r, 0), d.ReadIds(r, 1), d.ReadTime(r, 2), d.ReadTime(r, 3), r.GetString(4), r.GetNullableString(5), status,
            r.GetNullableString(7), r.GetNullableString(8), r.GetNullableInt64(9), r.GetNullableString(10), r.GetNullableString(11),
            d.ReadNullableTime(r, 12), r.GetNullableString(13) ?? "unknown", d.ReadTime(r, 14), d.ReadNullableTime(r, 15), r.GetNullableString(16));
    }
}

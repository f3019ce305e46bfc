using System.Data.Common;
using Footage.Core.Time;
using Footage.Core.Timeline;
using Footage.Data;

namespace Footage.Storage.Thumbnails;

/// <summary>The <c>thumbnails</c> table: stills by camera and time (retention removes them after 30 days).</summary>
public sealed class ThumbnailRepository(IDatabase database) : IThumbnailIndex
{
    private const string Columns = "id, camera_id, captured_at, storage_backend, storage_path, size_bytes";

    public async Task<IReadOnlyList<Thumbnail>> ListAsync(Guid cameraId, TimeRange range, int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"SELECT {Columns} FROM thumbnails WHERE camera_id = @camera AND captured_at >= @from AND captured_at < @to ORDER BY captured_at LIMIT @limit")
            .With("camera", d.Id(cameraId)).With("from", d.Time(range.Start)).With("to", d.Time(range.End)).With("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var thumbnails = new List<Thumbnail>();
        while (await reader.ReadAsync(cancellationToken))
        {
            thumbnails.Add(Read(reader, d));
        }

        return thumbnails;
    }

    public async Task<Thumbnail?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM thumbnails WHERE id = @id").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
    }

    /// <summary>Records a stored still; idempotent on (camera, instant).</summary>
    public async Task<bool> InsertAsync(Thumbnail thumbnail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"INSERT INTO thumbnails ({Columns}, created_at) VALUES (@id, @camera, @at, @backend, @path, @size, @now) ON CONFLICT (camera_id, captured_at) DO NOTHING")
            .With("id", d.Id(thumbnail.Id)).With("camera", d.Id(thumbnail.CameraId)).With("at", d.Time(thumbnail.CapturedAt))
            .With("backend", thumbnail.StorageBackend).With("path", thumbnail.StoragePath).With("size", thumbnail.SizeBytes).With("now", d.Time(now));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static Thumbnail Read(DbDataReader r, SqlDialect d) =>
        new(d.ReadId(r, 0), d.ReadId(r, 1), d.ReadTime(r, 2), r.GetString(3), r.GetString(4), r.GetInt64(5));
}

using System.Data.Common;
using Footage.Core.Time;
using Footage.Core.Timeline;
using Footage.Data;

namespace Footage.Storage.Thumbnails;

/// <summary>The <c>thumbnails</c> table: stills by camera and time (retention removes them after 30 days).</summary>
public sealed class ThumbnailRepository(IDatabase database, TimeProvider clock) : IThumbnailIndex
{
    private const string Columns = "id, camera_id, captured_at, storage_backend, storage_path, size_bytes";

    public async Task<IReadOnlyList<Thumbnail>> ListAsync(Guid cameraId, TimeRange range, int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"SELECT {Columns} FROM thumbnails WHERE camera_id = @camera AND captured_at >= @from AND captured_at < @to ORDER BY captured_at LIMIT @limit")
            .With("camera", d.Id(cameraId)).With("from", d.Time(range.Start)).With("to", d.Time(range.End)).With("limit", limit);
        return await ReadAllAsync(command, d, cancellationToken);
    }

    public async Task<Thumbnail?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM thumbnails WHERE id = @id").With("id", d.Id(id));
        return await FirstAsync(command, d, cancellationToken);
    }

    public async Task<Thumbnail?> AtAsync(Guid cameraId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"SELECT {Columns} FROM thumbnails WHERE camera_id = @camera AND captured_at <= @at ORDER BY captured_at DESC LIMIT 1")
            .With("camera", d.Id(cameraId)).With("at", d.Time(at));
        return await FirstAsync(command, d, cancellationToken);
    }

    public async Task<bool> AddAsync(Thumbnail thumbnail, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"INSERT INTO thumbnails ({Columns}, created_at) VALUES (@id, @camera, @at, @backend, @path, @size, @now) ON CONFLICT (camera_id, captured_at) DO NOTHING")
            .With("id", d.Id(thumbnail.Id)).With("camera", d.Id(thumbnail.CameraId)).With("at", d.Time(thumbnail.CapturedAt))
            .With("backend", thumbnail.StorageBackend).With("path", thumbnail.StoragePath).With("size", thumbnail.SizeBytes).With("now", d.Time(clock.GetUtcNow()));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<Thumbnail?> FirstAsync(DbCommand command, SqlDialect d, CancellationToken cancellationToken)
    {
        var found = await ReadAllAsync(command, d, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    private static async Task<IReadOnlyList<Thumbnail>> ReadAllAsync(DbCommand command, SqlDialect d, CancellationToken cancellationToken)
    {
        var thumbnails = new List<Thumbnail>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            thumbnails.Add(new Thumbnail(d.ReadId(reader, 0), d.ReadId(reader, 1), d.ReadTime(reader, 2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5)));
        }

        return thumbnails;
    }
}

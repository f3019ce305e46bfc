using System.Data.Common;
using Footage.Data;

namespace Footage.Recording.Thumbnails;

/// <summary>The <c>thumbnails</c> table: a camera's thumbnails by time.</summary>
public sealed class ThumbnailRepository(IDatabase database, TimeProvider clock)
{
    private const string Columns = "id, camera_id, captured_at, storage_backend, storage_path, size_bytes";

    /// <summary>Lists a stored JPEG; a capture time listed already keeps its row (a retry, or the same picture made twice).</summary>
    public async Task AddAsync(Guid cameraId, DateTimeOffset at, string backend, string key, long size, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO thumbnails (id, camera_id, captured_at, storage_backend, storage_path, size_bytes, created_at)
            VALUES (@id, @camera, @at, @backend, @path, @size, @created)
            ON CONFLICT (camera_id, captured_at) DO NOTHING
            """)
            .With("id", d.Id(Guid.NewGuid())).With("camera", d.Id(cameraId)).With("at", d.Time(at)).With("backend", backend)
            .With("path", key).With("size", size).With("created", d.Time(clock.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Thumbnail>> ListAsync(Guid cameraId, DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM thumbnails WHERE camera_id = @camera AND captured_at >= @from AND captured_at < @to ORDER BY captured_at LIMIT @limit")
            .With("camera", d.Id(cameraId)).With("from", d.Time(from ?? DateTimeOffset.UnixEpoch))
            .With("to", d.Time(to ?? new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero))).With("limit", limit);
        return await ReadAllAsync(command, d, cancellationToken);
    }

    /// <summary>The last thumbnail taken at or before the instant.</summary>
    public async Task<Thumbnail?> AtAsync(Guid cameraId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM thumbnails WHERE camera_id = @camera AND captured_at <= @at ORDER BY captured_at DESC LIMIT 1")
            .With("camera", d.Id(cameraId)).With("at", d.Time(at));
        var found = await ReadAllAsync(command, d, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    private static async Task<IReadOnlyList<Thumbnail>> ReadAllAsync(DbCommand command, SqlDialect d, CancellationToken cancellationToken)
    {
        var items = new List<Thumbnail>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new Thumbnail(d.ReadId(reader, 0), d.ReadId(reader, 1), d.ReadTime(reader, 2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5)));
        }

        return items;
    }
}

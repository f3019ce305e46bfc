using System.Data.Common;
using System.Text;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Backends;
using Footage.Storage.Retention;

namespace Footage.Storage.Segments;

/// <summary>The segments catalog on PostgreSQL or SQLite: the in-process <see cref="ISegmentCatalog"/>.</summary>
public sealed class SegmentRepository(IDatabase database, TimeProvider clock, IEnumerable<ISegmentChangeListener>? listeners = null) : ISegmentCatalog
{
    private readonly ISegmentChangeListener[] _listeners = listeners?.ToArray() ?? [];

    /// <summary>No segment is longer than this (validation enforces it), which bounds range scans on the index.</summary>
    public static readonly TimeSpan MaxSegmentDuration = TimeSpan.FromHours(24);

    internal const string Columns =
        "id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_path, checksum, thumbnail_path, created_at";

    public async Task<SegmentRegistration> RegisterAsync(NewSegment segment, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var id = Guid.NewGuid();
        var createdAt = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var insert = connection.Command(
                         """
                         INSERT INTO segments (id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_path, checksum, thumbnail_path, created_at, keyframe_index)
                         VALUES (@id, @camera, @start, @end, @duration, @size, @backend, @path, @checksum, @thumbnail, @created, @keyframes)
                         ON CONFLICT (camera_id, start_time) DO NOTHING
                         """))
        {
            insert.With("id", d.Id(id)).With("camera", d.Id(segment.CameraId)).With("start", d.Time(segment.StartTime))
                .With("end", d.Time(segment.EndTime)).With("duration", segment.DurationSeconds).With("size", segment.SizeBytes)
                .With("backend", segment.StorageBackend).With("path", segment.StoragePath).With("checksum", segment.Checksum)
                .With("thumbnail", segment.ThumbnailPath).With("created", d.Time(createdAt)).With("keyframes", segment.Keyframes?.ToJson());
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                StorageMetrics.SegmentRegistrations.WithLabels("created").Inc();
                await NotifyAsync(segment.CameraId, cancellationToken);
                return new SegmentRegistration(SegmentRegistrationOutcome.Created,
                    new Segment(id, segment.CameraId, segment.StartTime, segment.EndTime, segment.DurationSeconds, segment.SizeBytes,
                        segment.StorageBackend, segment.StoragePath, segment.Checksum, segment.ThumbnailPath, createdAt, segment.Keyframes));
            }
        }

        await using var select = connection.Command($"SELECT {Columns}, keyframe_index FROM segments WHERE camera_id = @camera AND start_time = @start")
            .With("camera", d.Id(segment.CameraId)).With("start", d.Time(segment.StartTime));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // deleted between our insert and select: a rare race with retention; the caller may retry
            throw new InvalidOperationException("The conflicting segment disappeared during registration; retry.");
        }

        var existing = Read(reader, d, withKeyframes: true);
        var same = existing.EndTime == segment.EndTime && existing.SizeBytes == segment.SizeBytes &&
                   existing.StorageBackend == segment.StorageBackend && existing.StoragePath == segment.StoragePath &&
                   string.Equals(existing.Checksum, segment.Checksum, StringComparison.OrdinalIgnoreCase);
        var outcome = same ? SegmentRegistrationOutcome.AlreadyRegistered : SegmentRegistrationOutcome.Conflict;
        StorageMetrics.SegmentRegistrations.WithLabels(same ? "already_registered" : "conflict").Inc();
        return new SegmentRegistration(outcome, existing);
    }

    public async Task<Segment?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns}, keyframe_index FROM segments WHERE id = @id").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d, withKeyframes: true) : null;
    }

    public async Task<SegmentPage> ListAsync(SegmentQuery query, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns}{(query.IncludeKeyframes ? ", keyframe_index" : string.Empty)} FROM segments WHERE camera_id = @camera");
        command.With("camera", d.Id(query.CameraId));
        if (query.From is { } from)
        {
            // overlap: ends after 'from'; the lower bound on start_time keeps the scan on the index
            sql.Append(" AND end_time > @from AND start_time >= @from_low");
            command.With("from", d.Time(from)).With("from_low", d.Time(from - MaxSegmentDuration));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND start_time < @to");
            command.With("to", d.Time(to));
        }

        if (query.Cursor is not null && SegmentCursor.TryDecode(query.Cursor, out var afterStart, out var afterId))
        {
            sql.Append(" AND (start_time > @after_start OR (start_time = @after_start AND id > @after_id))");
            command.With("after_start", d.Time(afterStart)).With("after_id", d.Id(afterId));
        }

        sql.Append(" ORDER BY start_time, id LIMIT @limit");
        command.With("limit", query.Limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<Segment>(Math.Min(query.Limit + 1, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader, d, query.IncludeKeyframes));
        }

        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            next = SegmentCursor.Encode(last.StartTime, last.Id);
        }

        return new SegmentPage(items, next);
    }

    /// <summary>
    /// Removes the row and queues its objects for deletion in one transaction, so no row ever points at a
    /// missing object and no object is forgotten. Returns null when the row was already gone (a second
    /// deleter lost the race, which is fine).
    /// </summary>
    public async Task<Segment?> DeleteAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Segment? deleted;
        await using (var command = connection.Command($"DELETE FROM segments WHERE id = @id RETURNING {Columns}", transaction).With("id", d.Id(id)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            deleted = await reader.ReadAsync(cancellationToken) ? Read(reader, d, withKeyframes: false) : null;
        }

        if (deleted is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        var now = clock.GetUtcNow();
        await DeletionQueue.EnqueueAsync(connection, transaction, d, deleted.StorageBackend, StorageBuckets.Recordings, deleted.StoragePath, reason, now, cancellationToken);
        if (deleted.ThumbnailPath is { Length: > 0 } thumbnail)
        {
            await DeletionQueue.EnqueueAsync(connection, transaction, d, deleted.StorageBackend, StorageBuckets.Thumbnails, thumbnail, reason, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        StorageMetrics.SegmentsDeleted.WithLabels("segment", reason).Inc();
        await NotifyAsync(deleted.CameraId, CancellationToken.None);
        return deleted;
    }

    /// <summary>Number of segments of a camera overlapping a range (exports check there is footage before queueing).</summary>
    public async Task<long> CountAsync(Guid cameraId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "SELECT COUNT(*) FROM segments WHERE camera_id = @camera AND end_time > @from AND start_time >= @from_low AND start_time < @to")
            .With("camera", d.Id(cameraId)).With("from", d.Time(from)).With("from_low", d.Time(from - MaxSegmentDuration)).With("to", d.Time(to));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task NotifyAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        foreach (var listener in _listeners)
        {
            await listener.SegmentsChangedAsync(cameraId, cancellationToken);
        }
    }

    internal static Segment Read(DbDataReader r, SqlDialect d, bool withKeyframes) =>
        new(d.ReadId(r, 0), d.ReadId(r, 1), d.ReadTime(r, 2), d.ReadTime(r, 3), r.GetInt32(4), r.GetInt64(5), r.GetString(6), r.GetString(7),
            r.GetNullableString(8), r.GetNullableString(9), d.ReadTime(r, 10),
            withKeyframes && r.GetNullableString(11) is { } json ? KeyframeIndex.FromJson(json) : null);
}

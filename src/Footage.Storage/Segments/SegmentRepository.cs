using System.Data.Common;
using System.Text;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Backends;
using Footage.Storage.Holds;
using Footage.Storage.Quarantine;
using Footage.Storage.Retention;

namespace Footage.Storage.Segments;

/// <summary>
/// The segments catalog on PostgreSQL or SQLite: the in-process <see cref="ISegmentCatalog"/>. One row per stored object (a
/// unique (storage_backend, storage_path)); a row under an evidence hold is never deleted (the DELETE checks the holds
/// record itself), and a segment registered inside a held range is moved to its held copy at once.
/// </summary>
public sealed class SegmentRepository(
    IDatabase database, TimeProvider clock, IEnumerable<ISegmentChangeListener>? listeners = null, HeldFootage? held = null, QuarantineRepository? quarantine = null)
    : ISegmentCatalog
{
    private readonly ISegmentChangeListener[] _listeners = listeners?.ToArray() ?? [];

    /// <summary>No segment is longer than this (validation enforces it), which bounds range scans on the index.</summary>
    public static readonly TimeSpan MaxSegmentDuration = TimeSpan.FromHours(24);

    internal const string Columns =
        "id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_path, checksum, thumbnail_path, created_at, storage_bucket";

    public Task<SegmentRegistration> RegisterAsync(NewSegment segment, CancellationToken cancellationToken) =>
        RegisterAsync(segment, StorageBuckets.Recordings, cancellationToken);

    /// <param name="bucket">Where the object is: recordings, or clips for a held copy found again by the repair.</param>
    public async Task<SegmentRegistration> RegisterAsync(NewSegment segment, string bucket, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var id = Guid.NewGuid();
        var createdAt = clock.GetUtcNow();
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var insert = connection.Command(
                         """
                         INSERT INTO segments (id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_path, checksum, thumbnail_path, created_at, keyframe_index, storage_bucket)
                         VALUES (@id, @camera, @start, @end, @duration, @size, @backend, @path, @checksum, @thumbnail, @created, @keyframes, @bucket)
                         ON CONFLICT (camera_id, start_time) DO NOTHING
                         """))
        {
            insert.With("id", d.Id(id)).With("camera", d.Id(segment.CameraId)).With("start", d.Time(segment.StartTime))
                .With("end", d.Time(segment.EndTime)).With("duration", segment.DurationSeconds).With("size", segment.SizeBytes)
                .With("backend", segment.StorageBackend).With("path", segment.StoragePath).With("checksum", segment.Checksum)
                .With("thumbnail", segment.ThumbnailPath).With("created", d.Time(createdAt)).With("keyframes", segment.Keyframes?.ToJson())
                .With("bucket", bucket);
            int inserted;
            try
            {
                inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                // another camera or start already owns this object: one stored object is one row
                var owner = await FindByPathAsync(segment.StorageBackend, segment.StoragePath, cancellationToken)
                            ?? throw new InvalidOperationException("The segment holding this storage path disappeared during registration; retry.", e);
                StorageMetrics.SegmentRegistrations.WithLabels("conflict").Inc();
                return new SegmentRegistration(SegmentRegistrationOutcome.Conflict, owner);
            }

            if (inserted == 1)
            {
                StorageMetrics.SegmentRegistrations.WithLabels("created").Inc();
                var created = new Segment(id, segment.CameraId, segment.StartTime, segment.EndTime, segment.DurationSeconds, segment.SizeBytes,
                    segment.StorageBackend, segment.StoragePath, segment.Checksum, segment.ThumbnailPath, createdAt, segment.Keyframes) { StorageBucket = bucket };
                if (held is not null)
                {
                    created = await held.ProtectIfHeldAsync(created, cancellationToken);
                }

                await NotifyAsync(segment.CameraId, cancellationToken);
                return new SegmentRegistration(SegmentRegistrationOutcome.Created, created);
            }
        }

        var existing = await FindAsync(segment.CameraId, segment.StartTime, cancellationToken)
                       ?? throw new InvalidOperationException("The conflicting segment disappeared during registration; retry."); // a rare race with retention
        var same = SegmentIdentity.Matches(existing, segment);
        StorageMetrics.SegmentRegistrations.WithLabels(same ? "already_registered" : "conflict").Inc();
        return new SegmentRegistration(same ? SegmentRegistrationOutcome.AlreadyRegistered : SegmentRegistrationOutcome.Conflict, existing);
    }

    public Task<QuarantinedSegment> QuarantineAsync(NewSegment segment, Guid? conflictingSegmentId, string reason, CancellationToken cancellationToken) =>
        (quarantine ?? throw new InvalidOperationException("This host keeps no quarantine.")).AddAsync(segment, conflictingSegmentId, reason, cancellationToken);

    /// <summary>The segment of a camera starting exactly at <paramref name="start"/>, with its key-frame index.</summary>
    public async Task<Segment?> FindAsync(Guid cameraId, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"SELECT {Columns}, keyframe_index FROM segments WHERE camera_id = @camera AND start_time = @start")
            .With("camera", d.Id(cameraId)).With("start", d.Time(start));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d, withKeyframes: true) : null;
    }

    /// <summary>The segment whose object is <paramref name="path"/> on the backend.</summary>
    public async Task<Segment?> FindByPathAsync(string backend, string path, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"SELECT {Columns}, keyframe_index FROM segments WHERE storage_backend = @backend AND storage_path = @path")
            .With("backend", backend).With("path", path);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d, withKeyframes: true) : null;
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
    /// Removes the row and queues its objects for deletion in one transaction, so no row ever points at a missing object
    /// and no object is forgotten; the row goes only when no hold in force overlaps it, which the DELETE statement itself
    /// checks (<see cref="HoldSql"/>), so a hold committed a moment before always wins.
    /// </summary>
    public async Task<SegmentDeletion> DeleteAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await HoldSql.LockForDeletionAsync(connection, transaction, d, cancellationToken);
        Segment? deleted;
        await using (var command = connection.Command(
                             $"DELETE FROM segments WHERE id = @id AND NOT {HoldSql.Held("segments")} RETURNING {Columns}", transaction)
                         .With("id", d.Id(id)).With("hold_now", d.Time(now)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            deleted = await reader.ReadAsync(cancellationToken) ? Read(reader, d, withKeyframes: false) : null;
        }

        if (deleted is null)
        {
            var hold = await HoldOfAsync(connection, transaction, d, id, now, cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
            return hold is null ? SegmentDeletion.Gone : SegmentDeletion.Held(hold);
        }

        await DeletionQueue.EnqueueAsync(connection, transaction, d, deleted.StorageBackend, deleted.StorageBucket, deleted.StoragePath, reason, now, cancellationToken);
        if (deleted.ThumbnailPath is { Length: > 0 } thumbnail)
        {
            await DeletionQueue.EnqueueAsync(connection, transaction, d, deleted.StorageBackend, StorageBuckets.Thumbnails, thumbnail, reason, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        StorageMetrics.SegmentsDeleted.WithLabels("segment", reason).Inc();
        await NotifyAsync(deleted.CameraId, CancellationToken.None);
        return SegmentDeletion.Done(deleted);
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

    /// <summary>The reason of a hold in force over the segment, or null when the segment is gone or not held.</summary>
    private static async Task<string?> HoldOfAsync(DbConnection connection, DbTransaction transaction, SqlDialect d, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
                """
                SELECT h.reason FROM segments s JOIN segment_holds h ON h.camera_id = s.camera_id
                WHERE s.id = @id AND h.start_time < s.end_time AND h.end_time > s.start_time AND (h.until_time IS NULL OR h.until_time > @now)
                ORDER BY h.created_at LIMIT 1
                """, transaction)
            .With("id", d.Id(id)).With("now", d.Time(now));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private async Task NotifyAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        foreach (var listener in _listeners)
        {
            await listener.SegmentsChangedAsync(cameraId, cancellationToken);
        }
    }

    /// <summary>Reads <see cref="Columns"/> (then keyframe_index when <paramref name="withKeyframes"/>).</summary>
    internal static Segment Read(DbDataReader r, SqlDialect d, bool withKeyframes) =>
        new(d.ReadId(r, 0), d.ReadId(r, 1), d.ReadTime(r, 2), d.ReadTime(r, 3), r.GetInt32(4), r.GetInt64(5), r.GetString(6), r.GetString(7),
            r.GetNullableString(8), r.GetNullableString(9), d.ReadTime(r, 10),
            withKeyframes && r.GetNullableString(12) is { } json ? KeyframeIndex.FromJson(json) : null)
        {
            StorageBucket = r.GetString(11),
        };
}

using System.Data.Common;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Backends;
using Footage.Storage.Retention;
using Microsoft.Extensions.Logging;

namespace Footage.Storage.Quarantine;

/// <summary>
/// The <c>quarantined_segments</c> table: recordings kept aside under their quarantine key in the clips bucket because
/// other footage is already stored or catalogued at their camera and start. Nothing expires them; an admin deletes one
/// with a reason once it has been looked at.
/// </summary>
public sealed class QuarantineRepository(IDatabase database, TimeProvider clock, ILogger<QuarantineRepository> logger)
{
    private const string Columns =
        "id, camera_id, start_time, end_time, size_bytes, storage_backend, storage_bucket, storage_path, checksum, conflicting_segment_id, reason, created_at";

    public async Task<QuarantinedSegment> AddAsync(NewSegment segment, Guid? conflictingSegmentId, string reason, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var id = Guid.NewGuid();
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var insert = connection.Command(
                         """
                         INSERT INTO quarantined_segments (id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_bucket,
                             storage_path, checksum, keyframe_index, conflicting_segment_id, reason, created_at)
                         VALUES (@id, @camera, @start, @end, @duration, @size, @backend, @bucket, @path, @checksum, @keyframes, @conflicting, @reason, @created)
                         ON CONFLICT (storage_backend, storage_path) DO NOTHING
                         """))
        {
            insert.With("id", d.Id(id)).With("camera", d.Id(segment.CameraId)).With("start", d.Time(segment.StartTime)).With("end", d.Time(segment.EndTime))
                .With("duration", segment.DurationSeconds).With("size", segment.SizeBytes).With("backend", segment.StorageBackend)
                .With("bucket", StorageBuckets.Clips).With("path", segment.StoragePath).With("checksum", segment.Checksum ?? string.Empty)
                .With("keyframes", segment.Keyframes?.ToJson()).With("conflicting", d.NullableId(conflictingSegmentId)).With("reason", reason)
                .With("created", d.Time(now));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                StorageMetrics.Quarantined.Inc();
                logger.LogWarning(
                    "Quarantined a recording of camera {CameraId} starting {Start}: {Reason}; kept as {Path} (SHA-256 {Sha256}), the catalogued footage {ConflictingSegmentId} is untouched",
                    segment.CameraId, segment.StartTime, reason, segment.StoragePath, segment.Checksum, conflictingSegmentId);
            }
        }

        await using var select = connection.Command($"SELECT {Columns} FROM quarantined_segments WHERE storage_backend = @backend AND storage_path = @path")
            .With("backend", segment.StorageBackend).With("path", segment.StoragePath);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Read(reader, d);
    }

    public async Task<IReadOnlyList<QuarantinedSegment>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM quarantined_segments ORDER BY created_at DESC, id LIMIT @limit").With("limit", limit);
        var list = new List<QuarantinedSegment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader, d));
        }

        return list;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT COUNT(*) FROM quarantined_segments");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Removes the row and queues its object for deletion in one transaction; null when there was no such row.</summary>
    public async Task<QuarantinedSegment?> DeleteAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        QuarantinedSegment? deleted;
        await using (var command = connection.Command($"DELETE FROM quarantined_segments WHERE id = @id RETURNING {Columns}", transaction).With("id", d.Id(id)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            deleted = await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
        }

        if (deleted is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        await DeletionQueue.EnqueueAsync(connection, transaction, d, deleted.StorageBackend, deleted.StorageBucket, deleted.StoragePath, "quarantine", clock.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogWarning("Quarantined recording {Id} ({Path}) deleted: {Reason}", id, deleted.StoragePath, reason);
        return deleted;
    }

    private static QuarantinedSegment Read(DbDataReader r, SqlDialect d) =>
        new(d.ReadId(r, 0), d.ReadId(r, 1), d.ReadTime(r, 2), d.ReadTime(r, 3), r.GetInt64(4), r.GetString(5), r.GetString(6), r.GetString(7),
            r.GetString(8), d.ReadNullableId(r, 9), r.GetString(10), d.ReadTime(r, 11));
}

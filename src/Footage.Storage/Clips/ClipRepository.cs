using System.Data.Common;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Evidence;
using Footage.Storage.Retention;

namespace Footage.Storage.Clips;

/// <summary>
/// The <c>clips</c> table. Jobs are claimed atomically like exports. Nothing here deletes a row: an admin's deletion marks it
/// DELETED with who, when and why, and queues its objects for deletion in the same transaction.
/// </summary>
public sealed class ClipRepository(IDatabase database, TimeProvider clock)
{
    private const string Columns =
        "id, incident_id, camera_ids, start_time, end_time, margin_seconds, reason, status, storage_backend, file_path, manifest_path, file_size, checksum, " +
        "manifest_sha256, signing_key_sha256, created_by, created_at, completed_at, error, deleted_by, deleted_at, delete_reason";

    public async Task InsertAsync(Clip clip, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                INSERT INTO clips (id, incident_id, camera_ids, start_time, end_time, margin_seconds, reason, status, created_by, created_at)
                VALUES (@id, @incident, @cameras, @start, @end, @margin, @reason, 'PENDING', @by, @at)
                """)
            .With("id", d.Id(clip.Id)).With("incident", d.Id(clip.IncidentId)).With("cameras", d.Ids(clip.CameraIds.ToArray()))
            .With("start", d.Time(clip.StartTime)).With("end", d.Time(clip.EndTime)).With("margin", clip.MarginSeconds).With("reason", clip.Reason)
            .With("by", clip.CreatedBy).With("at", d.Time(clip.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Clip?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM clips WHERE id = @id").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
    }

    /// <summary>An incident's clips, newest first, the deleted ones included.</summary>
    public async Task<IReadOnlyList<Clip>> ListAsync(Guid incidentId, int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM clips WHERE incident_id = @incident ORDER BY created_at DESC, id LIMIT @limit")
            .With("incident", d.Id(incidentId)).With("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clips = new List<Clip>();
        while (await reader.ReadAsync(cancellationToken))
        {
            clips.Add(Read(reader, d));
        }

        return clips;
    }

    private readonly JobTable _queue = new(database, clock, "clips", Columns);

    /// <summary>Takes the oldest PENDING clip for this worker, or null when there is none.</summary>
    public Task<Clip?> ClaimNextAsync(CancellationToken cancellationToken) => _queue.ClaimNextAsync(Read, cancellationToken);

    public Task HeartbeatAsync(Guid id, CancellationToken cancellationToken) => _queue.HeartbeatAsync(id, cancellationToken);

    /// <summary>Gives a claimed clip back to the queue untouched (its worker cannot make it now).</summary>
    public Task RequeueAsync(Guid id, CancellationToken cancellationToken) => _queue.RequeueAsync(id, cancellationToken);

    /// <summary>Puts back clips whose worker stopped beating (a crash), so another worker takes them.</summary>
    public Task<int> RequeueStaleAsync(TimeSpan staleAfter, CancellationToken cancellationToken) => _queue.RequeueStaleAsync(staleAfter, cancellationToken);

    public sealed record Stored(string Backend, string FilePath, string ManifestPath, long FileSize, string Checksum, string ManifestSha256, string SigningKeySha256);

    public async Task CompleteAsync(Guid id, Stored stored, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                UPDATE clips SET status = 'COMPLETED', storage_backend = @backend, file_path = @path, manifest_path = @manifest, file_size = @size,
                    checksum = @checksum, manifest_sha256 = @manifest_sha, signing_key_sha256 = @key, completed_at = @now, error = NULL
                WHERE id = @id
                """)
            .With("backend", stored.Backend).With("path", stored.FilePath).With("manifest", stored.ManifestPath).With("size", stored.FileSize)
            .With("checksum", stored.Checksum).With("manifest_sha", stored.ManifestSha256).With("key", stored.SigningKeySha256)
            .With("now", d.Time(clock.GetUtcNow())).With("id", d.Id(id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task FailAsync(Guid id, string error, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE clips SET status = 'FAILED', error = @error, completed_at = @now WHERE id = @id")
            .With("error", error).With("now", d.Time(clock.GetUtcNow())).With("id", d.Id(id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Marks a finished clip DELETED (who, when, why) and queues its objects for deletion, in one transaction; null when the
    /// clip is not COMPLETED or FAILED any more (deleted meanwhile, or still being made).
    /// </summary>
    public async Task<Clip?> MarkDeletedAsync(Guid id, string actor, string reason, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Clip? deleted;
        await using (var command = connection.Command(
                               $"""
                                UPDATE clips SET status = 'DELETED', deleted_by = @by, deleted_at = @now, delete_reason = @reason
                                WHERE id = @id AND status IN ('COMPLETED', 'FAILED')
                                RETURNING {Columns}
                                """, transaction)
                           .With("by", actor).With("now", d.Time(now)).With("reason", reason).With("id", d.Id(id)))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            deleted = await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
        }

        if (deleted is { StorageBackend: { } backend })
        {
            foreach (var path in new[] { deleted.FilePath, deleted.ManifestPath }.OfType<string>())
            {
                await DeletionQueue.EnqueueAsync(connection, transaction, d, backend, StorageBuckets.Clips, path, "clip", now, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static Clip Read(DbDataReader r, SqlDialect d)
    {
        Enum.TryParse<ClipStatus>(r.GetString(7), ignoreCase: true, out var status);
        return new Clip(d.ReadId(r, 0), d.ReadId(r, 1), d.ReadIds(r, 2), d.ReadTime(r, 3), d.ReadTime(r, 4), r.GetInt32(5), r.GetString(6), status,
            r.GetNullableString(8), r.GetNullableString(9), r.GetNullableString(10), r.GetNullableInt64(11), r.GetNullableString(12),
            r.GetNullableString(13), r.GetNullableString(14), r.GetString(15), d.ReadTime(r, 16), d.ReadNullableTime(r, 17), r.GetNullableString(18),
            r.GetNullableString(19), d.ReadNullableTime(r, 20), r.GetNullableString(21));
    }
}

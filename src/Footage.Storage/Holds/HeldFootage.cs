using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Backends;
using Footage.Storage.Retention;
using Footage.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Footage.Storage.Holds;

/// <summary>
/// Keeps held footage in the object store itself. A held segment's object is copied inside the store into the clips bucket
/// (<c>holds/{key}</c>: S3 CopyObject, a hard link on a filesystem), create-only; the store's own hold is put on the copy (an
/// S3 Object Lock legal hold where the bucket has object lock, a read-only file); then one transaction, which checks the hold
/// is still in force, points the catalog row at the copy and queues the original for deletion. Clips have no lifecycle
/// expiry, so no bucket rule can take held footage. When no hold covers a moved segment any more, the store's hold is
/// lifted and the segment follows its camera's retention from the clips bucket.
/// </summary>
public sealed class HeldFootage(
    IDatabase database, IStorageBackendRegistry backends, TimeProvider clock, IEnumerable<ISegmentChangeListener> listeners, ILogger<HeldFootage> logger)
{
    /// <summary>How long an original stays after its row moved to the held copy: readers that had the old location finish.</summary>
    public static readonly TimeSpan OriginalGrace = TimeSpan.FromMinutes(10);

    private const int Batch = 200;

    /// <summary>Moves the segment to its held copy when a hold in force covers it (a segment registered inside a held range).</summary>
    public async Task<Segment> ProtectIfHeldAsync(Segment segment, CancellationToken cancellationToken)
    {
        try
        {
            if (await IsHeldAsync(segment.Id, cancellationToken))
            {
                return await ProtectAsync(segment, cancellationToken) ?? segment;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // the row is protected by the holds record already; the keeper's next sweep makes the copy
            logger.LogWarning(e, "Could not move held segment {SegmentId} to its held copy yet; the hold keeper retries", segment.Id);
        }

        return segment;
    }

    /// <summary>
    /// Copies every held segment still in the recordings bucket, and lifts the store's hold from copies no hold covers any more.
    /// </summary>
    public async Task<HoldSweep> SweepAsync(CancellationToken cancellationToken)
    {
        var holding = backends.Names.Where(n => backends.Get(n) is IHoldingStore).ToArray();
        int moved = 0, failed = 0, released = 0;
        var after = Guid.Empty;
        while (holding.Length > 0)
        {
            var batch = await HeldInRecordingsAsync(holding, after, cancellationToken);
            foreach (var segment in batch)
            {
                try
                {
                    if (await ProtectAsync(segment, cancellationToken) is { StorageBucket: StorageBuckets.Clips })
                    {
                        moved++;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failed++;
                    logger.LogWarning(e, "Could not move held segment {SegmentId} ({Path}) to its held copy; retrying at the next sweep", segment.Id, segment.StoragePath);
                }
            }

            if (batch.Count < Batch)
            {
                break;
            }

            after = batch[^1].Id;
        }

        // copies held again after their hold had been lifted: the store holds them again (where it can)
        foreach (var (id, backend, path) in await CopiesAsync(objectHold: false, held: true, cancellationToken))
        {
            try
            {
                if (backends.TryGet(backend, out var store) && store is IHoldingStore holds &&
                    await holds.SetHoldAsync(StorageBuckets.Clips, path, held: true, cancellationToken))
                {
                    await SetObjectHoldAsync(id, true, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed++;
                logger.LogWarning(e, "Could not put the store's hold on {Path}; retrying at the next sweep", path);
            }
        }

        foreach (var (id, backend, path) in await CopiesAsync(objectHold: true, held: false, cancellationToken))
        {
            try
            {
                if (backends.TryGet(backend, out var store) && store is IHoldingStore holds)
                {
                    await holds.SetHoldAsync(StorageBuckets.Clips, path, held: false, cancellationToken);
                }

                await SetObjectHoldAsync(id, false, cancellationToken);
                released++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed++;
                logger.LogWarning(e, "Could not lift the store's hold on {Path}; retrying at the next sweep", path);
            }
        }

        StorageMetrics.HeldCopies.WithLabels("moved").Inc(moved);
        StorageMetrics.HeldCopies.WithLabels("released").Inc(released);
        StorageMetrics.HeldCopies.WithLabels("failed").Inc(failed);
        return new HoldSweep(moved, released, failed);
    }

    /// <summary>Copies and locks the segment's object, then points its row at the copy; returns the row as it is now (null when gone).</summary>
    public async Task<Segment?> ProtectAsync(Segment segment, CancellationToken cancellationToken)
    {
        if (segment.StorageBucket != StorageBuckets.Recordings || !backends.TryGet(segment.StorageBackend, out var backend) || backend is not IHoldingStore store)
        {
            return segment;
        }

        var copyKey = ObjectKeys.ForHeldCopy(segment.StoragePath);
        var copy = await store.CopyAsync(StorageBuckets.Recordings, segment.StoragePath, StorageBuckets.Clips, copyKey, cancellationToken);
        if (copy is null || copy.Size != segment.SizeBytes)
        {
            // the scrub reports a missing or changed object; a copy of the wrong bytes would only hide it
            logger.LogWarning("Held segment {SegmentId}: its object {Path} is {State}; not copied", segment.Id, segment.StoragePath,
                copy is null ? "missing" : $"{copy.Size} bytes, not the {segment.SizeBytes} catalogued");
            return segment;
        }

        var locked = await store.SetHoldAsync(StorageBuckets.Clips, copyKey, held: true, cancellationToken);
        var d = database.Dialect;
        var now = clock.GetUtcNow();
        bool repointed;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await HoldSql.LockForDeletionAsync(connection, transaction, d, cancellationToken);
            await using (var update = connection.Command(
                                 $"""
                                  UPDATE segments SET storage_bucket = @clips, storage_path = @copy, object_hold = @locked
                                  WHERE id = @id AND storage_bucket = @recordings AND storage_path = @original AND {HoldSql.Held("segments")}
                                  """, transaction)
                             .With("clips", StorageBuckets.Clips).With("copy", copyKey).With("locked", locked).With("id", d.Id(segment.Id))
                             .With("recordings", StorageBuckets.Recordings).With("original", segment.StoragePath).With("hold_now", d.Time(now)))
            {
                repointed = await update.ExecuteNonQueryAsync(cancellationToken) == 1;
            }

            if (repointed)
            {
                await DeletionQueue.EnqueueAsync(connection, transaction, d, segment.StorageBackend, StorageBuckets.Recordings, segment.StoragePath, "held_copy", now,
                    cancellationToken, notBefore: now + OriginalGrace);
            }
            else if (!await PointedAtAsync(connection, transaction, segment.StorageBackend, copyKey, cancellationToken))
            {
                // no longer held, or deleted: the copy is ours to drop (moved by another keeper instead: the row points at it, it stays)
                await DeletionQueue.EnqueueAsync(connection, transaction, d, segment.StorageBackend, StorageBuckets.Clips, copyKey, "held_copy_unused", now,
                    cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (!repointed)
        {
            return await CurrentAsync(segment.Id, cancellationToken);
        }

        logger.LogInformation("Held segment {SegmentId} of camera {CameraId} moved to {Bucket}/{Path} ({Lock})", segment.Id, segment.CameraId,
            StorageBuckets.Clips, copyKey, locked ? "the store holds it" : "the store cannot hold it; the clips bucket has no expiry");
        foreach (var listener in listeners)
        {
            await listener.SegmentsChangedAsync(segment.CameraId, CancellationToken.None);
        }

        return segment with { StoragePath = copyKey, StorageBucket = StorageBuckets.Clips };
    }

    private static async Task<bool> PointedAtAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string backend, string path,
        CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT COUNT(*) FROM segments WHERE storage_backend = @backend AND storage_path = @path", transaction)
            .With("backend", backend).With("path", path);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private async Task<bool> IsHeldAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT COUNT(*) FROM segments WHERE id = @id AND {HoldSql.Held("segments")}")
            .With("id", d.Id(id)).With("hold_now", d.Time(clock.GetUtcNow()));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private async Task<Segment?> CurrentAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {SegmentRepository.Columns}, keyframe_index FROM segments WHERE id = @id").With("id", d.Id(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? SegmentRepository.Read(reader, d, withKeyframes: true) : null;
    }

    private async Task<List<Segment>> HeldInRecordingsAsync(string[] holdingBackends, Guid after, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = string.Join(", ", holdingBackends.Select((_, i) => $"@backend{i}"));
        command.CommandText =
            $"""
             SELECT {SegmentRepository.Columns}, keyframe_index FROM segments
             WHERE storage_bucket = @recordings AND storage_backend IN ({names}) AND id > @after AND {HoldSql.Held("segments")}
             ORDER BY id LIMIT @batch
             """;
        for (var i = 0; i < holdingBackends.Length; i++)
        {
            command.With($"backend{i}", holdingBackends[i]);
        }

        command.With("recordings", StorageBuckets.Recordings).With("after", d.Id(after)).With("hold_now", d.Time(clock.GetUtcNow())).With("batch", Batch);
        var list = new List<Segment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(SegmentRepository.Read(reader, d, withKeyframes: true));
        }

        return list;
    }

    /// <summary>Held copies whose store hold is (<paramref name="objectHold"/>) on or off while holds do (<paramref name="held"/>) or do not cover them.</summary>
    private async Task<List<(Guid Id, string Backend, string Path)>> CopiesAsync(bool objectHold, bool held, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"""
                 SELECT id, storage_backend, storage_path FROM segments
                 WHERE storage_bucket = @clips AND object_hold = @object_hold AND {(held ? string.Empty : "NOT ")}{HoldSql.Held("segments")} LIMIT 1000
                 """)
            .With("clips", StorageBuckets.Clips).With("object_hold", objectHold).With("hold_now", d.Time(clock.GetUtcNow()));
        var list = new List<(Guid, string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add((d.ReadId(reader, 0), reader.GetString(1), reader.GetString(2)));
        }

        return list;
    }

    private async Task SetObjectHoldAsync(Guid id, bool held, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE segments SET object_hold = @held WHERE id = @id").With("held", held).With("id", d.Id(id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

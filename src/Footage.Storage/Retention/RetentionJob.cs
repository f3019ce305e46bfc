using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Backends;
using Footage.Storage.Cameras;
using Footage.Storage.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Retention;

/// <summary>
/// Deletes what has outlived its retention (recordings by age per camera, exports past their expiry,
/// thumbnails by age), then the oldest recordings of any backend over its size limit or under its
/// free-space floor, never a segment under an evidence hold (each DELETE checks the holds record itself,
/// see <see cref="Holds.HoldSql"/>). One run at a time across all processes (a lease in the database), so two
/// runs started together cannot both trim the same excess.
/// </summary>
public sealed class RetentionJob(
    IDatabase database,
    SegmentRepository segments,
    CameraRepository cameras,
    DeletionQueue queue,
    JobLease lease,
    IStorageBackendRegistry backends,
    IOptions<StorageOptions> options,
    TimeProvider clock,
    ILogger<RetentionJob> logger) : IDisposable
{
    public const string LeaseName = "retention";
    private static readonly TimeSpan LeaseFor = TimeSpan.FromMinutes(30);
    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>
    /// Runs of this process queue behind each other, so a run started while another is going finds only
    /// what is left and both succeed; the lease keeps runs of different processes apart. The lease holder
    /// is per run: one holder for the whole process would let two runs of it take the lease together.
    /// </summary>
    public async Task<RetentionReport> RunAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            return await RunUnderLeaseAsync($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", cancellationToken);
        }
        finally
        {
            _running.Release();
        }
    }

    public void Dispose() => _running.Dispose();

    private async Task<RetentionReport> RunUnderLeaseAsync(string holder, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        if (!await lease.TryAcquireAsync(LeaseName, holder, LeaseFor, cancellationToken))
        {
            return new RetentionReport(false, started, clock.GetUtcNow(), 0, 0, 0, 0, 0, 0, 0, await queue.CountAsync(cancellationToken));
        }

        using var renewal = new CancellationTokenSource();
        var renewing = RenewWhileRunningAsync(holder, renewal.Token);
        try
        {
            var settings = options.Value.Retention;
            var policy = new RetentionPolicy(settings.RecordingsDays, await cameras.RetentionOverridesAsync(cancellationToken));
            var kept = new HashSet<Guid>();

            var byAge = await DeleteByAgeAsync(policy, kept, cancellationToken);
            var exports = await ExpireExportsAsync(cancellationToken);
            var thumbnails = await DeleteOldThumbnailsAsync(settings.ThumbnailsDays, cancellationToken);
            var objects = await queue.DrainAsync(cancellationToken);

            var bySize = 0;
            var byFreeSpace = 0;
            foreach (var name in backends.Names)
            {
                if (!settings.Backends.TryGetValue(name, out var limits))
                {
                    continue;
                }

                if (limits.MaxBytes is { } max)
                {
                    var used = await UsedBytesAsync(name, cancellationToken);
                    if (used > max)
                    {
                        bySize += await DeleteOldestAsync(name, used - max, "size", kept, cancellationToken);
                        objects += await queue.DrainAsync(cancellationToken);
                    }
                }

                if (limits.MinFreeBytes is { } floor && backends.Get(name).GetAvailableFreeBytes() is { } free && free < floor)
                {
                    byFreeSpace += await DeleteOldestAsync(name, floor - free, "free_space", kept, cancellationToken);
                    objects += await queue.DrainAsync(cancellationToken);
                }
            }

            var report = new RetentionReport(true, started, clock.GetUtcNow(), byAge, bySize, byFreeSpace, kept.Count, exports, thumbnails, objects,
                await queue.CountAsync(cancellationToken));
            StorageMetrics.RetentionRuns.WithLabels("ok").Inc();
            logger.LogInformation("Retention run: {@Report}", report);
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StorageMetrics.RetentionRuns.WithLabels("error").Inc();
            throw;
        }
        finally
        {
            // stop renewing before releasing, or a late renewal could take the lease back after the release
            await renewal.CancelAsync();
            await renewing;
            await lease.ReleaseAsync(LeaseName, holder, CancellationToken.None);
        }
    }

    /// <summary>Keeps the lease while a long run works, so that no other process starts a run beside it.</summary>
    private async Task RenewWhileRunningAsync(string holder, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(LeaseFor / 3, clock, cancellationToken);
                await lease.TryAcquireAsync(LeaseName, holder, LeaseFor, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // the run is over
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not renew the retention lease; retrying at the next interval");
            }
        }
    }

    private sealed record Candidate(Guid Id, Guid CameraId, DateTimeOffset Start, DateTimeOffset End, long Size, bool Held);

    private async Task<int> DeleteByAgeAsync(RetentionPolicy policy, HashSet<Guid> kept, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var deleted = 0;
        DateTimeOffset? afterEnd = null;
        Guid afterId = default;
        while (true)
        {
            var batch = await ScanAsync(
                "end_time < @limit" + (afterEnd is null ? string.Empty : " AND (end_time > @after_end OR (end_time = @after_end AND id > @after_id))"),
                "end_time, id",
                c =>
                {
                    c.With("limit", database.Dialect.Time(policy.EarliestCutoff(now)));
                    if (afterEnd is not null)
                    {
                        c.With("after_end", database.Dialect.Time(afterEnd.Value)).With("after_id", database.Dialect.Id(afterId));
                    }
                },
                cancellationToken);
            if (batch.Count == 0)
            {
                return deleted;
            }

            foreach (var candidate in batch)
            {
                if (!policy.IsExpired(candidate.CameraId, candidate.End, now))
                {
                    continue;
                }

                if (await DeleteUnlessHeldAsync(candidate, "age", kept, cancellationToken))
                {
                    deleted++;
                }
            }

            afterEnd = batch[^1].End;
            afterId = batch[^1].Id;
        }
    }

    private async Task<int> DeleteOldestAsync(string backend, long bytesToFree, string reason, HashSet<Guid> kept, CancellationToken cancellationToken)
    {
        var deleted = 0;
        long freed = 0;
        DateTimeOffset? afterStart = null;
        Guid afterId = default;
        while (freed < bytesToFree)
        {
            var batch = await ScanAsync(
                "storage_backend = @backend" + (afterStart is null ? string.Empty : " AND (start_time > @after_start OR (start_time = @after_start AND id > @after_id))"),
                "start_time, id",
                c =>
                {
                    c.With("backend", backend);
                    if (afterStart is not null)
                    {
                        c.With("after_start", database.Dialect.Time(afterStart.Value)).With("after_id", database.Dialect.Id(afterId));
                    }
                },
                cancellationToken);
            if (batch.Count == 0)
            {
                logger.LogWarning("Backend {Backend} is over its limit by {Bytes} bytes, but every remaining recording is under evidence hold", backend, bytesToFree - freed);
                break;
            }

            foreach (var candidate in batch)
            {
                if (freed >= bytesToFree)
                {
                    break;
                }

                if (await DeleteUnlessHeldAsync(candidate, reason, kept, cancellationToken))
                {
                    deleted++;
                    freed += candidate.Size;
                }
            }

            afterStart = batch[^1].Start;
            afterId = batch[^1].Id;
        }

        return deleted;
    }

    /// <summary>Deletes the segment unless a hold covers it (known from the scan, or found by the DELETE itself); false when kept or gone.</summary>
    private async Task<bool> DeleteUnlessHeldAsync(Candidate candidate, string reason, HashSet<Guid> kept, CancellationToken cancellationToken)
    {
        if (candidate.Held)
        {
            kept.Add(candidate.Id);
            return false;
        }

        var deletion = await segments.DeleteAsync(candidate.Id, reason, cancellationToken);
        if (deletion.IsHeld)
        {
            kept.Add(candidate.Id);
        }

        return deletion.Deleted is not null;
    }

    private async Task<List<Candidate>> ScanAsync(string where, string orderBy, Action<System.Data.Common.DbCommand> bind, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
             SELECT id, camera_id, start_time, end_time, size_bytes, CASE WHEN {Holds.HoldSql.Held("segments")} THEN 1 ELSE 0 END
             FROM segments WHERE {where} ORDER BY {orderBy} LIMIT @batch
             """);
        bind(command);
        command.With("batch", options.Value.Retention.BatchSize).With("hold_now", d.Time(clock.GetUtcNow()));
        var batch = new List<Candidate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            batch.Add(new Candidate(d.ReadId(reader, 0), d.ReadId(reader, 1), d.ReadTime(reader, 2), d.ReadTime(reader, 3), reader.GetInt64(4),
                Convert.ToInt32(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture) == 1));
        }

        return batch;
    }

    private async Task<long> UsedBytesAsync(string backend, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT COALESCE(SUM(size_bytes), 0) FROM segments WHERE storage_backend = @backend").With("backend", backend);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<int> ExpireExportsAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var expired = new List<(string? Backend, string? File, string? Manifest)>();
        await using (var command = connection.Command(
                             "UPDATE exports SET status = 'EXPIRED', download_url = NULL WHERE status = 'COMPLETED' AND expires_at < @now RETURNING storage_backend, file_path, manifest_path",
                             transaction)
                         .With("now", d.Time(now)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                expired.Add((reader.GetNullableString(0), reader.GetNullableString(1), reader.GetNullableString(2)));
            }
        }

        foreach (var (backend, file, manifest) in expired)
        {
            foreach (var path in new[] { file, manifest })
            {
                if (backend is not null && path is not null)
                {
                    await DeletionQueue.EnqueueAsync(connection, transaction, d, backend, StorageBuckets.Exports, path, "expired", now, cancellationToken);
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        StorageMetrics.SegmentsDeleted.WithLabels("export", "expired").Inc(expired.Count);
        return expired.Count;
    }

    private async Task<int> DeleteOldThumbnailsAsync(int days, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var now = clock.GetUtcNow();
        var total = 0;
        while (true)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var rows = new List<(string Backend, string Path)>();
            await using (var command = connection.Command(
                                 "DELETE FROM thumbnails WHERE id IN (SELECT id FROM thumbnails WHERE captured_at < @cutoff ORDER BY captured_at LIMIT @batch) RETURNING storage_backend, storage_path",
                                 transaction)
                             .With("cutoff", d.Time(now - TimeSpan.FromDays(days))).With("batch", options.Value.Retention.BatchSize))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var (backend, path) in rows)
            {
                await DeletionQueue.EnqueueAsync(connection, transaction, d, backend, StorageBuckets.Thumbnails, path, "age", now, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            total += rows.Count;
            if (rows.Count == 0)
            {
                StorageMetrics.SegmentsDeleted.WithLabels("thumbnail", "age").Inc(total);
                return total;
            }
        }
    }
}

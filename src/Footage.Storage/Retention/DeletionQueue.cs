using System.Data.Common;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Backends;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Retention;

/// <summary>
/// Objects whose catalog rows are gone, waiting to be deleted from their backend. A row and its queue
/// entry change in one transaction; the object is deleted afterwards and the entry removed only then,
/// retried with backoff when the backend is down. Entries are claimed for a while before work, so two
/// workers never fight over one (and deleting an object twice would be harmless anyway).
/// </summary>
public sealed class DeletionQueue(IDatabase database, IStorageBackendRegistry backends, TimeProvider clock, IOptions<StorageOptions> options, ILogger<DeletionQueue> logger)
{
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    /// <param name="notBefore">When the object may go at the earliest (readers of a moved object finish first); now when null.</param>
    public static async Task EnqueueAsync(DbConnection connection, DbTransaction transaction, SqlDialect d, string backend, string bucket, string path, string reason,
        DateTimeOffset now, CancellationToken cancellationToken, DateTimeOffset? notBefore = null)
    {
        await using var command = connection.Command(
                """
                INSERT INTO deletion_queue (id, storage_backend, bucket, storage_path, reason, enqueued_at, attempts, next_attempt_at)
                VALUES (@id, @backend, @bucket, @path, @reason, @now, 0, @next)
                """, transaction)
            .With("id", d.Id(Guid.NewGuid())).With("backend", backend).With("bucket", bucket).With("path", path).With("reason", reason).With("now", d.Time(now))
            .With("next", d.Time(notBefore ?? now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes due objects until none is left; returns how many were deleted.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var batch = await ClaimAsync(options.Value.Retention.BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var entry in batch)
            {
                if (await DeleteObjectAsync(entry, cancellationToken))
                {
                    total++;
                }
            }
        }

        await UpdateGaugeAsync(cancellationToken);
        return total;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT COUNT(*) FROM deletion_queue");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task UpdateGaugeAsync(CancellationToken cancellationToken) =>
        StorageMetrics.DeletionQueueLength.Set(await CountAsync(cancellationToken));

    private sealed record Entry(Guid Id, string Backend, string Bucket, string Path, int Attempts);

    private async Task<List<Entry>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"""
                 UPDATE deletion_queue SET claimed_until = @until
                 WHERE id IN (
                     SELECT id FROM deletion_queue
                     WHERE next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                     ORDER BY next_attempt_at LIMIT @limit {(d.IsPostgres ? "FOR UPDATE SKIP LOCKED" : string.Empty)})
                 RETURNING id, storage_backend, bucket, storage_path, attempts
                 """)
            .With("until", d.Time(now + ClaimFor)).With("now", d.Time(now)).With("limit", limit);
        var entries = new List<Entry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new Entry(d.ReadId(reader, 0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        }

        return entries;
    }

    /// <summary>Whether a segment or a quarantined recording is catalogued at the entry's object (footage buckets only).</summary>
    private async Task<bool> IsCataloguedAsync(Entry entry, CancellationToken cancellationToken)
    {
        if (!StorageBuckets.IsWriteOnce(entry.Bucket))
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                SELECT (SELECT COUNT(*) FROM segments WHERE storage_backend = @backend AND storage_bucket = @bucket AND storage_path = @path)
                     + (SELECT COUNT(*) FROM quarantined_segments WHERE storage_backend = @backend AND storage_bucket = @bucket AND storage_path = @path)
                """)
            .With("backend", entry.Backend).With("bucket", entry.Bucket).With("path", entry.Path);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private async Task<bool> DeleteObjectAsync(Entry entry, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        try
        {
            if (!backends.TryGet(entry.Backend, out var backend))
            {
                throw new InvalidOperationException($"backend '{entry.Backend}' is not enabled on this host");
            }

            if (await IsCataloguedAsync(entry, cancellationToken))
            {
                // a row points at this object again (the same segment registered anew): the row wins, the object stays
                logger.LogWarning("Not deleting {Backend} {Bucket}/{Path}: a catalog row points at it", entry.Backend, entry.Bucket, entry.Path);
            }
            else
            {
                if (entry.Bucket == StorageBuckets.Clips && backend is IHoldingStore store)
                {
                    // the row went only because no hold covers it any more (checked in its DELETE): lift the store's hold first
                    await store.SetHoldAsync(entry.Bucket, entry.Path, held: false, cancellationToken);
                }

                await backend.DeleteAsync(entry.Bucket, entry.Path, cancellationToken);
            }

            await using var connection = await database.OpenAsync(cancellationToken);
            await using var done = connection.Command("DELETE FROM deletion_queue WHERE id = @id").With("id", d.Id(entry.Id));
            await done.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            StorageMetrics.DeletionFailures.WithLabels(entry.Backend).Inc();
            var attempts = entry.Attempts + 1;
            var delay = attempts >= options.Value.Retention.MaxDeleteAttempts
                ? TimeSpan.FromDays(1)
                : TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, attempts)));
            logger.LogWarning(e, "Deleting {Backend} {Bucket}/{Path} failed (attempt {Attempts}); retrying in {Delay}", entry.Backend, entry.Bucket, entry.Path, attempts, delay);
            await using var connection = await database.OpenAsync(CancellationToken.None);
            await using var retry = connection.Command(
                    "UPDATE deletion_queue SET attempts = @attempts, next_attempt_at = @next, claimed_until = NULL, last_error = @error WHERE id = @id")
                .With("attempts", attempts).With("next", d.Time(clock.GetUtcNow() + delay)).With("error", e.Message).With("id", d.Id(entry.Id));
            await retry.ExecuteNonQueryAsync(CancellationToken.None);
            return false;
        }
    }
}

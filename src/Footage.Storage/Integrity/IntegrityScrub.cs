using System.Security.Cryptography;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Backends;
using Footage.Storage.Quarantine;
using Footage.Storage.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Integrity;

/// <summary>
/// Proves the stored footage: re-reads every segment's object at a set rate and compares its size and SHA-256 with the
/// catalog (a pass, resumable, in id order), and lists every footage bucket to compare it with the catalog (objects without
/// rows, rows without objects). It reports what it finds (<see cref="IntegrityFindings"/>, metrics, the admin API) and
/// never deletes or changes footage. Milestone's segments are not read: their objects are made from Milestone on demand.
/// </summary>
public sealed class IntegrityScrub(
    IDatabase database,
    IStorageBackendRegistry backends,
    IntegrityFindings findings,
    QuarantineRepository quarantine,
    IOptions<StorageOptions> options,
    TimeProvider clock,
    ILogger<IntegrityScrub> logger)
{
    private const string StateName = "scrub";
    private const int RowPage = 2000;

    /// <summary>The listings the reconciliation compares: (bucket, key prefix, table of the rows that own its objects).</summary>
    private static readonly (string Bucket, string Prefix, string Table)[] Listings =
    [
        (StorageBuckets.Recordings, string.Empty, "segments"),
        (StorageBuckets.Clips, ObjectKeys.HeldPrefix, "segments"),
        (StorageBuckets.Clips, ObjectKeys.QuarantinePrefix, "quarantined_segments"),
    ];

    public async Task<ScrubState> StateAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var insert = connection.Command("INSERT INTO integrity_scrub_state (name) VALUES (@name) ON CONFLICT (name) DO NOTHING").With("name", StateName))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = connection.Command(
                "SELECT after_id, pass_running, pass_started_at, passes_completed, last_pass_completed_at, last_reconciled_at FROM integrity_scrub_state WHERE name = @name")
            .With("name", StateName);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ScrubState(d.ReadNullableId(reader, 0), Convert.ToBoolean(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
            d.ReadNullableTime(reader, 2), reader.GetInt32(3), d.ReadNullableTime(reader, 4), d.ReadNullableTime(reader, 5));
    }

    /// <summary>Whether a pass should run now: one is under way, or the last one started at least PassInterval ago.</summary>
    public bool PassDue(ScrubState state) =>
        state.PassRunning || state.PassStartedAt is not { } started || clock.GetUtcNow() >= started + options.Value.Scrub.PassInterval;

    public bool ReconcileDue(ScrubState state) =>
        state.LastReconciledAt is not { } last || clock.GetUtcNow() >= last + options.Value.Scrub.ReconcileInterval;

    /// <summary>Checks the next segment of the pass (starting a pass when none runs); false once the pass is complete.</summary>
    public async Task<bool> CheckNextAsync(ScrubThrottle throttle, ScrubReport report, CancellationToken cancellationToken)
    {
        var state = await StateAsync(cancellationToken);
        if (!state.PassRunning)
        {
            await SaveAsync("pass_running = @true, after_id = NULL, pass_started_at = @now", cancellationToken);
            state = state with { PassRunning = true, AfterId = null };
        }

        var next = await NextSegmentAsync(state.AfterId, cancellationToken);
        if (next is null)
        {
            await SaveAsync("pass_running = @false, after_id = NULL, passes_completed = passes_completed + 1, last_pass_completed_at = @now", cancellationToken);
            await findings.ResolveForgottenAsync(cancellationToken);
            await findings.CountAsync(cancellationToken);
            StorageMetrics.ScrubLastPass.Set(clock.GetUtcNow().ToUnixTimeSeconds());
            return false;
        }

        await CheckAsync(next, throttle, report, cancellationToken);
        await SaveCursorAsync(next.Id, cancellationToken);
        return true;
    }

    /// <summary>A whole pass from the first segment (an admin's "scrub now"), then the finding counts.</summary>
    public async Task<ScrubReport> RunPassAsync(CancellationToken cancellationToken)
    {
        var report = new ScrubReport();
        await SaveAsync("pass_running = @false, after_id = NULL", cancellationToken);
        var throttle = new ScrubThrottle(options.Value.Scrub.BytesPerSecond, clock);
        while (await CheckNextAsync(throttle, report, cancellationToken))
        {
        }

        return report;
    }

    /// <summary>Lists every footage bucket of every backend that stores objects and compares the listing with the catalog.</summary>
    public async Task<ScrubReport> ReconcileAsync(CancellationToken cancellationToken)
    {
        var report = new ScrubReport();
        var started = clock.GetUtcNow();
        foreach (var name in backends.Names.Where(n => n != PreferredFootage.MilestoneBackend))
        {
            var backend = backends.Get(name);
            foreach (var (bucket, prefix, table) in Listings)
            {
                await ReconcileAsync(backend, bucket, prefix, table, started, report, cancellationToken);
                await findings.ResolveUnseenAsync(name, bucket, prefix, started, cancellationToken);
            }
        }

        await SaveAsync("last_reconciled_at = @now", cancellationToken);
        StorageMetrics.ReconcileLast.Set(clock.GetUtcNow().ToUnixTimeSeconds());
        StorageMetrics.QuarantinedPending.Set(await quarantine.CountAsync(cancellationToken));
        await findings.CountAsync(cancellationToken);
        return report;
    }

    /// <summary>Reads the segment's object whole (at the throttle's rate) and compares it with its row.</summary>
    private async Task CheckAsync(Segment segment, ScrubThrottle throttle, ScrubReport report, CancellationToken cancellationToken)
    {
        if (segment.StorageBackend == PreferredFootage.MilestoneBackend || !backends.TryGet(segment.StorageBackend, out var backend))
        {
            report.Skipped++;
            return;
        }

        string? actualSha256 = null;
        long actualSize = 0;
        await using (var read = await backend.OpenReadAsync(segment.StorageBucket, segment.StoragePath, null, cancellationToken))
        {
            if (read is not null)
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 20];
                int n;
                while ((n = await read.Content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    actualSize += n;
                    StorageMetrics.ScrubBytes.Inc(n);
                    await throttle.ReadAsync(n, cancellationToken);
                }

                actualSha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
        }

        report.Objects++;
        report.Bytes += actualSize;
        var kind = actualSha256 is null ? FindingKinds.MissingObject
            : actualSize != segment.SizeBytes ? FindingKinds.SizeMismatch
            : segment.Checksum is { } expected && !string.Equals(expected, actualSha256, StringComparison.OrdinalIgnoreCase) ? FindingKinds.HashMismatch
            : null;
        if (kind is null)
        {
            StorageMetrics.ScrubObjects.WithLabels("ok").Inc();
            await findings.ResolveObjectAsync(segment.StorageBackend, segment.StorageBucket, segment.StoragePath, cancellationToken);
            return;
        }

        if (!await StillAtAsync(segment, cancellationToken))
        {
            return; // moved to its held copy or deleted while it was read
        }

        StorageMetrics.ScrubObjects.WithLabels(kind).Inc();
        report.Found(kind);
        await findings.RecordAsync(IntegrityFinding.New(kind, segment.StorageBackend, segment.StorageBucket, segment.StoragePath, segment.Id, segment.Checksum,
            actualSha256, segment.SizeBytes, actualSha256 is null ? null : actualSize), cancellationToken);
        logger.LogError("Integrity scrub: segment {SegmentId} of camera {CameraId} ({Bucket}/{Path} on {Backend}): {Kind}", segment.Id, segment.CameraId,
            segment.StorageBucket, segment.StoragePath, segment.StorageBackend, kind);
    }

    /// <summary>Merges the sorted listing of the bucket's prefix with the rows sorted by path; confirms each difference before reporting it.</summary>
    private async Task ReconcileAsync(IStorageBackend backend, string bucket, string prefix, string table, DateTimeOffset started, ScrubReport report,
        CancellationToken cancellationToken)
    {
        var rows = RowsAsync(backend.Name, bucket, prefix, table, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var objects = backend.ListAsync(bucket, prefix, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            var hasRow = await rows.MoveNextAsync();
            var hasObject = await objects.MoveNextAsync();
            while (hasRow || hasObject)
            {
                var order = !hasRow ? 1 : !hasObject ? -1 : string.CompareOrdinal(rows.Current.Path, objects.Current.Key);
                if (order == 0)
                {
                    report.Objects++;
                    hasRow = await rows.MoveNextAsync();
                    hasObject = await objects.MoveNextAsync();
                }
                else if (order < 0)
                {
                    await MissingAsync(backend, bucket, table, rows.Current, report, cancellationToken);
                    hasRow = await rows.MoveNextAsync();
                }
                else
                {
                    await OrphanAsync(backend, bucket, table, objects.Current, started, report, cancellationToken);
                    hasObject = await objects.MoveNextAsync();
                }
            }
        }
        finally
        {
            await rows.DisposeAsync();
            await objects.DisposeAsync();
        }
    }

    private async Task MissingAsync(IStorageBackend backend, string bucket, string table, (Guid Id, string Path) row, ScrubReport report, CancellationToken cancellationToken)
    {
        if (await backend.StatAsync(bucket, row.Path, cancellationToken) is not null || !await RowAtAsync(table, row.Id, bucket, row.Path, cancellationToken))
        {
            return; // uploaded, moved or deleted while we listed
        }

        report.Found(FindingKinds.MissingObject);
        await findings.RecordAsync(IntegrityFinding.New(FindingKinds.MissingObject, backend.Name, bucket, row.Path, table == "segments" ? row.Id : null), cancellationToken);
        logger.LogError("Integrity scrub: {Table} row {Id} points at {Bucket}/{Path} on {Backend}, which is not stored", table, row.Id, bucket, row.Path, backend.Name);
    }

    private async Task OrphanAsync(IStorageBackend backend, string bucket, string table, ObjectInfo info, DateTimeOffset started, ScrubReport report, CancellationToken cancellationToken)
    {
        if (info.LastModified > started - options.Value.Scrub.OrphanGrace || await IsPendingDeletionAsync(backend.Name, bucket, info.Key, cancellationToken) ||
            await OwnerAsync(table, backend.Name, bucket, info.Key, cancellationToken))
        {
            return; // just uploaded (registration follows), queued for deletion, or registered while we listed
        }

        report.Found(FindingKinds.OrphanObject);
        await findings.RecordAsync(IntegrityFinding.New(FindingKinds.OrphanObject, backend.Name, bucket, info.Key, actualSize: info.Size), cancellationToken);
        logger.LogWarning("Integrity scrub: {Bucket}/{Path} on {Backend} ({Size} bytes) has no catalog row", bucket, info.Key, backend.Name, info.Size);
    }

    /// <summary>(id, path) of the rows owning objects of the listing, in the byte order of their paths, a page at a time.</summary>
    private async IAsyncEnumerable<(Guid Id, string Path)> RowsAsync(string backend, string bucket, string prefix, string table,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var path = d.IsPostgres ? "storage_path COLLATE \"C\"" : "storage_path";
        string? after = null;
        while (true)
        {
            var page = new List<(Guid, string)>(RowPage);
            await using (var connection = await database.OpenAsync(cancellationToken))
            await using (var command = connection.Command(
                                 $"""
                                  SELECT id, storage_path FROM {table}
                                  WHERE storage_backend = @backend AND storage_bucket = @bucket AND substr(storage_path, 1, @prefix_length) = @prefix
                                    {(after is null ? string.Empty : $"AND {path} > @after")}
                                  ORDER BY {path} LIMIT @page
                                  """)
                             .With("backend", backend).With("bucket", bucket).With("prefix", prefix).With("prefix_length", prefix.Length).With("page", RowPage))
            {
                if (after is not null)
                {
                    command.With("after", after);
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add((d.ReadId(reader, 0), reader.GetString(1)));
                }
            }

            foreach (var row in page)
            {
                yield return row;
            }

            if (page.Count < RowPage)
            {
                yield break;
            }

            after = page[^1].Item2;
        }
    }

    private async Task<bool> OwnerAsync(string table, string backend, string bucket, string path, CancellationToken cancellationToken) =>
        await CountAsync($"SELECT COUNT(*) FROM {table} WHERE storage_backend = @backend AND storage_bucket = @bucket AND storage_path = @path",
            c => c.With("backend", backend).With("bucket", bucket).With("path", path), cancellationToken) > 0;

    private async Task<bool> RowAtAsync(string table, Guid id, string bucket, string path, CancellationToken cancellationToken) =>
        await CountAsync($"SELECT COUNT(*) FROM {table} WHERE id = @id AND storage_bucket = @bucket AND storage_path = @path",
            c => c.With("id", database.Dialect.Id(id)).With("bucket", bucket).With("path", path), cancellationToken) > 0;

    private Task<bool> StillAtAsync(Segment segment, CancellationToken cancellationToken) =>
        RowAtAsync("segments", segment.Id, segment.StorageBucket, segment.StoragePath, cancellationToken);

    private async Task<bool> IsPendingDeletionAsync(string backend, string bucket, string path, CancellationToken cancellationToken) =>
        await CountAsync("SELECT COUNT(*) FROM deletion_queue WHERE storage_backend = @backend AND bucket = @bucket AND storage_path = @path",
            c => c.With("backend", backend).With("bucket", bucket).With("path", path), cancellationToken) > 0;

    private async Task<long> CountAsync(string sql, Action<System.Data.Common.DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(sql);
        bind(command);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<Segment?> NextSegmentAsync(Guid? after, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {SegmentRepository.Columns} FROM segments{(after is null ? string.Empty : " WHERE id > @after")} ORDER BY id LIMIT 1");
        if (after is { } id)
        {
            command.With("after", d.Id(id));
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? SegmentRepository.Read(reader, d, withKeyframes: false) : null;
    }

    private async Task SaveCursorAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE integrity_scrub_state SET after_id = @id WHERE name = @name").With("id", d.Id(id)).With("name", StateName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task SaveAsync(string assignments, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await StateAsync(cancellationToken); // the row exists
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"UPDATE integrity_scrub_state SET {assignments} WHERE name = @name").With("name", StateName);
        foreach (var (name, value) in new (string, object)[] { ("now", d.Time(clock.GetUtcNow())), ("true", true), ("false", false) })
        {
            if (assignments.Contains("@" + name, StringComparison.Ordinal))
            {
                command.With(name, value);
            }
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

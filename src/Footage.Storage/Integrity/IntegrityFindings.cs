using System.Data.Common;
using Footage.Data;
using Footage.Storage.Backends;

namespace Footage.Storage.Integrity;

/// <summary>
/// The <c>integrity_findings</c> table: one open row per kind and object (seen again: its last_seen_at moves), resolved
/// when the object checks out again or the row it concerned is gone. Nothing here deletes footage.
/// </summary>
public sealed class IntegrityFindings(IDatabase database, TimeProvider clock)
{
    private const string Columns =
        "id, kind, storage_backend, bucket, storage_path, segment_id, expected_sha256, actual_sha256, expected_size, actual_size, first_seen_at, last_seen_at";

    public async Task RecordAsync(IntegrityFinding finding, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                INSERT INTO integrity_findings (id, kind, storage_backend, bucket, storage_path, segment_id, expected_sha256, actual_sha256, expected_size, actual_size,
                    first_seen_at, last_seen_at)
                VALUES (@id, @kind, @backend, @bucket, @path, @segment, @expected_sha, @actual_sha, @expected_size, @actual_size, @now, @now)
                ON CONFLICT (kind, storage_backend, bucket, storage_path) WHERE resolved_at IS NULL
                DO UPDATE SET last_seen_at = excluded.last_seen_at, actual_sha256 = excluded.actual_sha256, actual_size = excluded.actual_size,
                    segment_id = excluded.segment_id, expected_sha256 = excluded.expected_sha256, expected_size = excluded.expected_size
                """)
            .With("id", d.Id(Guid.NewGuid())).With("kind", finding.Kind).With("backend", finding.Backend).With("bucket", finding.Bucket).With("path", finding.Path)
            .With("segment", d.NullableId(finding.SegmentId)).With("expected_sha", finding.ExpectedSha256).With("actual_sha", finding.ActualSha256)
            .With("expected_size", finding.ExpectedSize).With("actual_size", finding.ActualSize).With("now", d.Time(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The object checked out: its open hash, size and missing findings are resolved.</summary>
    public async Task ResolveObjectAsync(string backend, string bucket, string path, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                UPDATE integrity_findings SET resolved_at = @now
                WHERE resolved_at IS NULL AND storage_backend = @backend AND bucket = @bucket AND storage_path = @path AND kind IN (@hash, @size, @missing)
                """)
            .With("now", d.Time(clock.GetUtcNow())).With("backend", backend).With("bucket", bucket).With("path", path)
            .With("hash", FindingKinds.HashMismatch).With("size", FindingKinds.SizeMismatch).With("missing", FindingKinds.MissingObject);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// After a reconciliation of one listing: its orphan and missing findings not seen again since <paramref name="since"/>
    /// are resolved (the object got a row or went, the row got its object or went).
    /// </summary>
    public async Task ResolveUnseenAsync(string backend, string bucket, string prefix, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                UPDATE integrity_findings SET resolved_at = @now
                WHERE resolved_at IS NULL AND storage_backend = @backend AND bucket = @bucket AND kind IN (@orphan, @missing) AND last_seen_at < @since
                  AND substr(storage_path, 1, @prefix_length) = @prefix
                """)
            .With("now", d.Time(clock.GetUtcNow())).With("backend", backend).With("bucket", bucket).With("since", d.Time(since))
            .With("orphan", FindingKinds.OrphanObject).With("missing", FindingKinds.MissingObject).With("prefix", prefix).With("prefix_length", prefix.Length);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Findings about segments that are no longer catalogued are resolved (the row was deleted, by an admin or retention).</summary>
    public async Task ResolveForgottenAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                UPDATE integrity_findings SET resolved_at = @now
                WHERE resolved_at IS NULL AND segment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.id = integrity_findings.segment_id)
                """)
            .With("now", d.Time(clock.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<IntegrityFinding>> OpenAsync(string? kind, int limit, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"SELECT {Columns} FROM integrity_findings WHERE resolved_at IS NULL{(kind is null ? string.Empty : " AND kind = @kind")} ORDER BY first_seen_at, id LIMIT @limit")
            .With("limit", limit);
        if (kind is not null)
        {
            command.With("kind", kind);
        }

        var list = new List<IntegrityFinding>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader, d));
        }

        return list;
    }

    /// <summary>Open findings by kind (every kind present, zero included), and the gauge set from them.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountAsync(CancellationToken cancellationToken)
    {
        var counts = FindingKinds.All.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT kind, COUNT(*) FROM integrity_findings WHERE resolved_at IS NULL GROUP BY kind");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        foreach (var (kind, count) in counts)
        {
            StorageMetrics.IntegrityFindings.WithLabels(kind).Set(count);
        }

        return counts;
    }

    private static IntegrityFinding Read(DbDataReader r, SqlDialect d) =>
        new(d.ReadId(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), d.ReadNullableId(r, 5), r.GetNullableString(6),
            r.GetNullableString(7), r.GetNullableInt64(8), r.GetNullableInt64(9), d.ReadTime(r, 10), d.ReadTime(r, 11));
}

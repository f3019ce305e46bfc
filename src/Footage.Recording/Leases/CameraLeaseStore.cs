using System.Data.Common;
using Footage.Data;

namespace Footage.Recording.Leases;

/// <summary>
/// The <c>recorders</c> and <c>camera_leases</c> tables. Every change is one statement, so two recorders racing for a
/// camera cannot both win: a lease is taken only when it is free, expired, or already ours. Instants come from the
/// caller's clock, never from the database's, so that a test's fake clock rules expiry on both databases.
/// </summary>
public sealed class CameraLeaseStore(IDatabase database)
{
    private const string LeaseColumns = "camera_id, recorder_id, recorder_url, acquired_at, expires_at";

    public async Task HeartbeatAsync(Recorder recorder, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                INSERT INTO recorders (recorder_id, recorder_url, draining, started_at, expires_at) VALUES (@id, @url, @draining, @started, @expires)
                ON CONFLICT (recorder_id) DO UPDATE SET recorder_url = excluded.recorder_url, draining = excluded.draining, expires_at = excluded.expires_at
                """)
            .With("id", recorder.RecorderId).With("url", recorder.RecorderUrl).With("draining", Bool(d, recorder.Draining))
            .With("started", d.Time(recorder.StartedAt)).With("expires", d.Time(recorder.ExpiresAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets a recorder that left, and the recorders whose heartbeat stopped before <paramref name="staleBefore"/>.</summary>
    public async Task RemoveRecorderAsync(string recorderId, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM recorders WHERE recorder_id = @id OR expires_at < @stale")
            .With("id", recorderId).With("stale", database.Dialect.Time(staleBefore));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Recorder>> RecordersAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT recorder_id, recorder_url, draining, started_at, expires_at FROM recorders ORDER BY recorder_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recorders = new List<Recorder>();
        while (await reader.ReadAsync(cancellationToken))
        {
            recorders.Add(new Recorder(reader.GetString(0), reader.GetNullableString(1), reader.GetBoolean(2), d.ReadTime(reader, 3), d.ReadTime(reader, 4)));
        }

        return recorders;
    }

    public async Task<IReadOnlyList<CameraLease>> LeasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {LeaseColumns} FROM camera_leases ORDER BY camera_id");
        return await ReadLeasesAsync(command, cancellationToken);
    }

    public async Task<CameraLease?> LeaseAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {LeaseColumns} FROM camera_leases WHERE camera_id = @camera")
            .With("camera", database.Dialect.Id(cameraId));
        return await ReadLeasesAsync(command, cancellationToken) is [var lease, ..] ? lease : null;
    }

    /// <summary>Takes the camera if nobody holds it, its holder let it expire, or we hold it already.</summary>
    public async Task<bool> TryAcquireAsync(Guid cameraId, string recorderId, string? recorderUrl, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                INSERT INTO camera_leases (camera_id, recorder_id, recorder_url, acquired_at, expires_at) VALUES (@camera, @recorder, @url, @now, @expires)
                ON CONFLICT (camera_id) DO UPDATE SET recorder_id = excluded.recorder_id, recorder_url = excluded.recorder_url,
                    acquired_at = CASE WHEN camera_leases.recorder_id = excluded.recorder_id THEN camera_leases.acquired_at ELSE excluded.acquired_at END,
                    expires_at = excluded.expires_at
                WHERE camera_leases.expires_at < @now OR camera_leases.recorder_id = excluded.recorder_id
                """)
            .With("camera", d.Id(cameraId)).With("recorder", recorderId).With("url", recorderUrl).With("now", d.Time(now)).With("expires", d.Time(expiresAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Extends every lease the recorder still holds (a lease another recorder took after it expired stays theirs).</summary>
    public async Task<int> RenewAsync(string recorderId, string? recorderUrl, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE camera_leases SET expires_at = @expires, recorder_url = @url WHERE recorder_id = @recorder")
            .With("recorder", recorderId).With("url", recorderUrl).With("expires", database.Dialect.Time(expiresAt));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> ReleaseAsync(Guid cameraId, string recorderId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM camera_leases WHERE camera_id = @camera AND recorder_id = @recorder")
            .With("camera", database.Dialect.Id(cameraId)).With("recorder", recorderId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int> ReleaseAllAsync(string recorderId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM camera_leases WHERE recorder_id = @recorder").With("recorder", recorderId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<CameraLease>> ReadLeasesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var leases = new List<CameraLease>();
        while (await reader.ReadAsync(cancellationToken))
        {
            leases.Add(new CameraLease(d.ReadId(reader, 0), reader.GetString(1), reader.GetNullableString(2), d.ReadTime(reader, 3), d.ReadTime(reader, 4)));
        }

        return leases;
    }

    private static object Bool(SqlDialect d, bool value) => d.IsPostgres ? value : value ? 1 : 0;
}

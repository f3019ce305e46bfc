using Footage.Data;

namespace Footage.Recording.Cameras;

/// <summary>The <c>recording_state</c> table: which cameras should record, whoever asked last.</summary>
public sealed class RecordingStateRepository(IDatabase database, TimeProvider clock)
{
    public async Task SetAsync(Guid cameraId, bool shouldRecord, string? actor, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO recording_state (camera_id, should_record, updated_at, updated_by) VALUES (@camera, @should, @at, @by)
            ON CONFLICT (camera_id) DO UPDATE SET should_record = excluded.should_record, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """)
            .With("camera", d.Id(cameraId)).With("should", Bool(d, shouldRecord)).With("at", d.Time(clock.GetUtcNow())).With("by", actor);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Sets the state only when the camera has none yet (a default that an operator's choice overrides).</summary>
    public async Task SetDefaultAsync(Guid cameraId, bool shouldRecord, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO recording_state (camera_id, should_record, updated_at, updated_by) VALUES (@camera, @should, @at, NULL) ON CONFLICT (camera_id) DO NOTHING")
            .With("camera", d.Id(cameraId)).With("should", Bool(d, shouldRecord)).With("at", d.Time(clock.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> ShouldRecordAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT camera_id FROM recording_state WHERE should_record = @yes").With("yes", Bool(d, true));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(d.ReadId(reader, 0));
        }

        return ids;
    }

    /// <summary>Every camera's row (or one camera's): whether it should record and since when that was asked.</summary>
    public async Task<IReadOnlyDictionary<Guid, (bool ShouldRecord, DateTimeOffset UpdatedAt)>> AllAsync(CancellationToken cancellationToken, Guid? only = null)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = only is { } id
            ? connection.Command("SELECT camera_id, should_record, updated_at FROM recording_state WHERE camera_id = @camera").With("camera", d.Id(id))
            : connection.Command("SELECT camera_id, should_record, updated_at FROM recording_state");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new Dictionary<Guid, (bool, DateTimeOffset)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            states[d.ReadId(reader, 0)] = (reader.GetBoolean(1), d.ReadTime(reader, 2));
        }

        return states;
    }

    private static object Bool(SqlDialect d, bool value) => d.IsPostgres ? value : value ? 1 : 0;
}

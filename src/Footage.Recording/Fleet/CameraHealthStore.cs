using System.Data.Common;
using System.Text.Json;
using Footage.Data;
using Footage.Recording.Api;
using Footage.Recording.Cameras;
using Footage.ServiceDefaults.Json;

namespace Footage.Recording.Fleet;

/// <summary>
/// The <c>camera_health</c> table: each camera's health as the recorder holding its lease last reported it, so that every
/// process answers a status call alike. A report only overwrites the row while its recorder holds the camera's lease (a
/// recorder that lost the camera cannot overwrite its new holder's report); the last stored segment's end only grows, and
/// any recorder may report it (one restarted on its spool stores footage of cameras it no longer holds).
/// </summary>
public sealed class CameraHealthStore(IDatabase database)
{
    private static readonly JsonSerializerOptions Json = FootageJson.Create();
    private static readonly Dictionary<string, RecordingState> States =
        Enum.GetValues<RecordingState>().ToDictionary(s => WireName(s), StringComparer.Ordinal);

    private const string Columns =
        "camera_id, recorder_id, state, since, last_segment_end, bitrate_bps, restarts, last_error, timeline_offset_seconds, last_clock_jump_at, last_clock_jump_seconds, streams, reported_at";

    public async Task ReportAsync(CameraHealthReport report, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"""
                 INSERT INTO camera_health ({Columns})
                 VALUES (@camera, @recorder, @state, @since, @segment_end, @bitrate, @restarts, @error, @offset, @jump_at, @jump_seconds, @streams, @at)
                 ON CONFLICT (camera_id) DO UPDATE SET recorder_id = excluded.recorder_id, state = excluded.state, since = excluded.since,
                     last_segment_end = CASE WHEN camera_health.last_segment_end IS NULL OR camera_health.last_segment_end < excluded.last_segment_end
                         THEN excluded.last_segment_end ELSE camera_health.last_segment_end END,
                     bitrate_bps = excluded.bitrate_bps, restarts = excluded.restarts, last_error = excluded.last_error,
                     timeline_offset_seconds = excluded.timeline_offset_seconds, last_clock_jump_at = excluded.last_clock_jump_at,
                     last_clock_jump_seconds = excluded.last_clock_jump_seconds, streams = excluded.streams, reported_at = excluded.reported_at
                 WHERE EXISTS (SELECT 1 FROM camera_leases l WHERE l.camera_id = @camera AND l.recorder_id = @recorder)
                 """)
            .With("camera", d.Id(report.CameraId)).With("recorder", report.RecorderId).With("state", WireName(report.State))
            .With("since", d.NullableTime(report.Since)).With("segment_end", d.NullableTime(report.LastSegmentEnd))
            .With("bitrate", report.BitrateBps).With("restarts", report.Restarts).With("error", report.LastError)
            .With("offset", report.TimelineOffsetSeconds).With("jump_at", d.NullableTime(report.LastClockJumpAt))
            .With("jump_seconds", report.LastClockJumpSeconds)
            .With("streams", report.Streams is { } streams ? JsonSerializer.Serialize(streams, Json) : null)
            .With("at", d.NullableTime(report.ReportedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Moves the camera's last stored segment end forward (never back), whoever holds the camera.</summary>
    public async Task SegmentStoredAsync(Guid cameraId, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                INSERT INTO camera_health (camera_id, last_segment_end) VALUES (@camera, @end)
                ON CONFLICT (camera_id) DO UPDATE SET last_segment_end = excluded.last_segment_end
                WHERE camera_health.last_segment_end IS NULL OR camera_health.last_segment_end < excluded.last_segment_end
                """)
            .With("camera", d.Id(cameraId)).With("end", d.Time(end));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<Guid, CameraHealthReport>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM camera_health");
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<CameraHealthReport?> GetAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM camera_health WHERE camera_id = @camera").With("camera", database.Dialect.Id(cameraId));
        return (await ReadAsync(command, cancellationToken)).Values.FirstOrDefault();
    }

    private async Task<IReadOnlyDictionary<Guid, CameraHealthReport>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var reports = new Dictionary<Guid, CameraHealthReport>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = d.ReadId(reader, 0);
            var state = reader.GetNullableString(2) is { } name && States.TryGetValue(name, out var known) ? known : RecordingState.Stopped;
            reports[id] = new CameraHealthReport(id, reader.GetNullableString(1), state, d.ReadNullableTime(reader, 3), d.ReadNullableTime(reader, 4),
                reader.GetInt64(5), reader.GetInt32(6), reader.GetNullableString(7), NullableDouble(reader, 8), d.ReadNullableTime(reader, 9),
                NullableDouble(reader, 10), reader.GetNullableString(11) is { } streams ? JsonSerializer.Deserialize<RecordedStreamsResponse>(streams, Json) : null,
                d.ReadNullableTime(reader, 12));
        }

        return reports;
    }

    private static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static string WireName(RecordingState state) => JsonNamingPolicy.SnakeCaseUpper.ConvertName(state.ToString());
}

using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Footage.Bench.Catalog;

/// <summary>
/// Fills the migrated catalog with the cameras and every hourly segment of the loaded days through binary
/// COPY, in arrival order (hour by hour, every camera within the hour) as the recorder would have written
/// them, so one camera-day is spread over many heap pages as in production.
/// </summary>
public static class BulkLoader
{
    public static async Task InsertCamerasAsync(string connectionString, SyntheticSegments segments, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "INSERT INTO cameras (id, name, source, rtsp_url, retention_days) " +
            "SELECT id, 'Camera ' || n, 'city', 'rtsp://cameras.example/' || n, 90 FROM unnest(@ids) WITH ORDINALITY AS c(id, n)", connection);
        command.Parameters.AddWithValue("ids", segments.CameraIds.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Returns the rows written, the time COPY took, and how long the rows without a key-frame index (written first) took.</summary>
    public static async Task<(long Rows, TimeSpan Elapsed, TimeSpan WithoutKeyframes)> CopySegmentsAsync(
        string connectionString, SyntheticSegments segments, int keyframeDays, CancellationToken cancellationToken)
    {
        var cameras = segments.CameraIds.Count;
        var total = (long)cameras * segments.LoadedHours;
        var firstHourWithKeyframes = segments.LoadedHours - (keyframeDays * 24);
        var progressEvery = Math.Max(1, total / 10);
        var stopwatch = Stopwatch.StartNew();
        var withoutKeyframes = TimeSpan.Zero;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync(
                         "COPY segments (id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_path, checksum, thumbnail_path, created_at, keyframe_index) FROM STDIN (FORMAT BINARY)",
                         cancellationToken))
        {
            long written = 0;
            for (var hour = 0; hour < segments.LoadedHours; hour++)
            {
                if (hour == firstHourWithKeyframes)
                {
                    withoutKeyframes = stopwatch.Elapsed;
                }

                for (var camera = 0; camera < cameras; camera++)
                {
                    var s = segments.Segment(camera, hour, withKeyframes: false);
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(s.CameraId, NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(s.StartTime, NpgsqlDbType.TimestampTz, cancellationToken);
                    await writer.WriteAsync(s.EndTime, NpgsqlDbType.TimestampTz, cancellationToken);
                    await writer.WriteAsync(s.DurationSeconds, NpgsqlDbType.Integer, cancellationToken);
                    await writer.WriteAsync(s.SizeBytes, NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(s.StorageBackend, NpgsqlDbType.Varchar, cancellationToken);
                    await writer.WriteAsync(s.StoragePath, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(s.Checksum, NpgsqlDbType.Varchar, cancellationToken);
                    await writer.WriteNullAsync(cancellationToken);
                    // uploaded and registered a little after the file closed
                    await writer.WriteAsync(s.EndTime.AddSeconds(5 + (camera % 55)), NpgsqlDbType.TimestampTz, cancellationToken);
                    if (hour >= firstHourWithKeyframes)
                    {
                        await writer.WriteAsync(segments.KeyframesJson(camera, hour), NpgsqlDbType.Text, cancellationToken);
                    }
                    else
                    {
                        await writer.WriteNullAsync(cancellationToken);
                    }

                    if (++written % progressEvery == 0)
                    {
                        Console.WriteLine($"  copied {written:N0} of {total:N0} rows ({written / stopwatch.Elapsed.TotalSeconds:N0} rows/s)");
                    }
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        return (total, stopwatch.Elapsed, firstHourWithKeyframes <= 0 ? TimeSpan.Zero : withoutKeyframes == TimeSpan.Zero ? stopwatch.Elapsed : withoutKeyframes);
    }
}

using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Ffmpeg;
using Footage.Recording.Spool;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Thumbnails;

/// <summary>
/// A JPEG at every multiple of <see cref="RecordingOptions.ThumbnailSeconds"/> of wall-clock time that a
/// segment covers: the picture of the key frame at or before it, decoded from that one GOP, never the
/// whole segment. Stored in the thumbnails bucket and listed in the <c>thumbnails</c> table.
/// </summary>
public sealed class ThumbnailMaker(FfmpegRunner ffmpeg, IDatabase database, IOptions<RecordingOptions> options, TimeProvider clock, ILogger<ThumbnailMaker> logger)
{
    public static IReadOnlyList<DateTimeOffset> CaptureTimes(DateTimeOffset start, DateTimeOffset end, int intervalSeconds)
    {
        if (intervalSeconds <= 0 || end <= start)
        {
            return [];
        }

        var interval = TimeSpan.FromSeconds(intervalSeconds).Ticks;
        var first = (start.UtcTicks + interval - 1) / interval * interval;
        var times = new List<DateTimeOffset>();
        for (var t = first; t < end.UtcTicks; t += interval)
        {
            times.Add(new DateTimeOffset(t, TimeSpan.Zero));
        }

        return times;
    }

    /// <summary>Makes and stores the segment's thumbnails; returns the key of the first, or null when it covers no capture time.</summary>
    public async Task<string?> MakeAsync(SpooledSegment segment, string tsPath, IReadOnlyList<Keyframe> keyframes, IStorageBackend backend, CancellationToken cancellationToken)
    {
        string? first = null;
        foreach (var at in CaptureTimes(segment.StartTime, segment.EndTime, options.Value.ThumbnailSeconds))
        {
            var jpeg = tsPath + ".thumb.jpg";
            var chunk = tsPath + ".thumb.ts";
            File.Delete(jpeg);
            try
            {
                // the key frame at or before the capture time, cut out by the key-frame index: one GOP is
                // decoded, never the whole segment (seeking with -ss is unreliable in TS copied from RTSP)
                await CutGopAsync(tsPath, keyframes, (long)(at - segment.StartTime).TotalMilliseconds, chunk, cancellationToken);
                await ffmpeg.RunFfmpegAsync(["-loglevel", "error", "-i", chunk, "-frames:v", "1", "-q:v", "5", "-f", "image2", jpeg], cancellationToken);
            }
            catch (FfmpegException e)
            {
                logger.LogWarning("No thumbnail of camera {CameraId} at {At}: {Error}", segment.CameraId, at, e.Message);
            }
            finally
            {
                File.Delete(chunk);
            }

            if (!File.Exists(jpeg))
            {
                // a missing thumbnail must never hold back the footage itself
                continue;
            }

            var key = ObjectKeys.ForSegment(segment.CameraId, at, "jpg");
            long size;
            await using (var stream = File.OpenRead(jpeg))
            {
                size = (await backend.PutAsync(StorageBuckets.Thumbnails, key, stream, null, cancellationToken)).Size;
            }

            File.Delete(jpeg);
            await RecordAsync(segment.CameraId, at, backend.Name, key, size, cancellationToken);
            first ??= key;
        }

        return first;
    }

    private static async Task CutGopAsync(string tsPath, IReadOnlyList<Keyframe> keyframes, long offsetMs, string chunkPath, CancellationToken cancellationToken)
    {
        var index = 0;
        for (var i = 0; i < keyframes.Count; i++)
        {
            if (keyframes[i].OffsetMilliseconds <= offsetMs)
            {
                index = i;
            }
        }

        await using var source = File.OpenRead(tsPath);
        var from = keyframes.Count > 0 ? keyframes[index].ByteOffset : 0;
        var to = index + 1 < keyframes.Count ? keyframes[index + 1].ByteOffset : source.Length;
        source.Seek(from, SeekOrigin.Begin);
        await using var target = File.Create(chunkPath);
        var buffer = new byte[81920];
        var left = to - from;
        while (left > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            left -= read;
        }
    }

    private async Task RecordAsync(Guid cameraId, DateTimeOffset at, string backend, string key, long size, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO thumbnails (id, camera_id, captured_at, storage_backend, storage_path, size_bytes, created_at)
            VALUES (@id, @camera, @at, @backend, @path, @size, @created)
            ON CONFLICT (camera_id, captured_at) DO NOTHING
            """)
            .With("id", d.Id(Guid.NewGuid())).With("camera", d.Id(cameraId)).With("at", d.Time(at)).With("backend", backend)
            .With("path", key).With("size", size).With("created", d.Time(clock.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Footage.Core.Storage;
using Footage.Data;
using Footage.Ffmpeg;
using Footage.Recording.Spool;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Thumbnails;

/// <summary>
/// A JPEG at every multiple of <see cref="RecordingOptions.ThumbnailSeconds"/> of wall-clock time that a
/// segment covers. ffmpeg seeks in the file (<c>-ss</c> before <c>-i</c>) and decodes one frame, never
/// the whole segment. Stored in the thumbnails bucket and listed in the <c>thumbnails</c> table.
/// </summary>
public sealed class ThumbnailMaker(FfmpegRunner ffmpeg, IDatabase database, IOptions<RecordingOptions> options, TimeProvider clock)
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
    public async Task<string?> MakeAsync(SpooledSegment segment, string tsPath, IStorageBackend backend, CancellationToken cancellationToken)
    {
        string? first = null;
        foreach (var at in CaptureTimes(segment.StartTime, segment.EndTime, options.Value.ThumbnailSeconds))
        {
            var jpeg = tsPath + ".thumb.jpg";
            var offset = (at - segment.StartTime).TotalSeconds;
            await ffmpeg.RunFfmpegAsync(
                ["-loglevel", "error", "-ss", offset.ToString("F3", System.Globalization.CultureInfo.InvariantCulture), "-i", tsPath,
                 "-frames:v", "1", "-q:v", "5", "-f", "image2", jpeg], cancellationToken);
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

using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Core.Timeline;
using Footage.Ffmpeg;
using Footage.Ffmpeg.KeyFrames;
using Footage.Recording.Scanning;
using Footage.Recording.Spool;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Thumbnails;

/// <summary>
/// A JPEG at every multiple of <see cref="RecordingOptions.ThumbnailSeconds"/> of wall-clock time that a
/// segment covers: the picture of the key frame at or before it, never the whole segment. The key frame is decoded by
/// the confined key-frame decoder process (<see cref="KeyFrameDecoder"/>, a few ms), never inside the recorder; when that
/// fails, or for a camera whose pictures ended the decoder process <see cref="StrikesBeforeFfmpeg"/> times, by an ffmpeg
/// process on that one GOP (50 to 100 ms of CPU, most of it starting ffmpeg). Stored in the thumbnails bucket and listed
/// in the <c>thumbnails</c> table.
/// </summary>
public sealed class ThumbnailMaker(
    FfmpegRunner ffmpeg,
    KeyFrameDecoder decoder,
    IThumbnailIndex thumbnails,
    IOptions<RecordingOptions> options,
    ILogger<ThumbnailMaker> logger)
{
    /// <summary>Pictures of one camera that may end the decoder process (a crash, a hang) before its thumbnails go to ffmpeg.</summary>
    public const int StrikesBeforeFfmpeg = 3;

    /// <summary>ffmpeg's -q:v of the JPEG (2 best to 31 worst).</summary>
    private const int Quality = 5;
    private const int H265StreamType = 0x24;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> _strikes = new();
    private readonly Lazy<bool> _useDecoder = new(() =>
    {
        if (!options.Value.ThumbnailDecoderProcess)
        {
            return false;
        }

        if (!decoder.IsAvailable)
        {
            logger.LogWarning("Thumbnails are made by ffmpeg processes: the key-frame decoder {Program} is not there", decoder.ProgramPath);
            return false;
        }

        return true;
    });

    /// <summary>Whether a camera's thumbnails go to ffmpeg because its pictures ended the decoder process too often.</summary>
    public bool LeftToFfmpeg(Guid cameraId) => _strikes.GetValueOrDefault(cameraId) >= StrikesBeforeFfmpeg;

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

    /// <summary>
    /// Makes and stores the segment's thumbnails that were not made while it was recorded (<see cref="GrowingThumbnails"/>);
    /// returns the key of the first, or null when it covers no capture time.
    /// </summary>
    public async Task<string?> MakeAsync(SpooledSegment segment, string tsPath, IReadOnlyList<Keyframe> keyframes, IStorageBackend backend, CancellationToken cancellationToken)
    {
        var times = CaptureTimes(segment.StartTime, segment.EndTime, options.Value.ThumbnailSeconds);
        if (times.Count == 0)
        {
            return null;
        }

        var made = (await thumbnails.ListAsync(segment.CameraId, new TimeRange(times[0], times[^1].AddTicks(1)), times.Count, cancellationToken))
            .ToDictionary(t => t.CapturedAt, t => t.StoragePath);
        string? first = null;
        foreach (var at in times)
        {
            // a missing thumbnail must never hold back the footage itself
            if (!made.TryGetValue(at, out var key))
            {
                key = await MakeAtAsync(segment.CameraId, at, tsPath, (long)(at - segment.StartTime).TotalMilliseconds, keyframes, backend, cancellationToken);
                RecordingMetrics.Thumbnails.WithLabels(key is null ? "failed" : "at_close").Inc();
            }

            first ??= key;
        }

        return first;
    }

    /// <summary>
    /// Makes and stores the thumbnail of <paramref name="at"/>, <paramref name="offsetMs"/> into the file, from the key frame at or
    /// before it; returns its key, or null when the picture could not be made.
    /// </summary>
    public async Task<string?> MakeAtAsync(
        Guid cameraId, DateTimeOffset at, string tsPath, long offsetMs, IReadOnlyList<Keyframe> keyframes, IStorageBackend backend, CancellationToken cancellationToken)
    {
        var (from, to) = GopAt(keyframes, offsetMs, new FileInfo(tsPath).Length);
        var jpeg = await ByDecoderAsync(cameraId, tsPath, from, cancellationToken) ?? await ByFfmpegAsync(cameraId, at, tsPath, from, to, cancellationToken);
        if (jpeg is null)
        {
            return null;
        }

        var key = ObjectKeys.ForThumbnail(cameraId, at);
        long size;
        await using (var stream = new MemoryStream(jpeg, writable: false))
        {
            size = (await backend.PutAsync(StorageBuckets.Thumbnails, key, stream, null, cancellationToken)).Size;
        }

        await thumbnails.AddAsync(new Thumbnail(Guid.NewGuid(), cameraId, at, backend.Name, key, size), cancellationToken);
        return key;
    }

    /// <summary>The byte range of the GOP of the key frame at or before <paramref name="offsetMs"/>.</summary>
    private static (long From, long To) GopAt(IReadOnlyList<Keyframe> keyframes, long offsetMs, long length)
    {
        var index = 0;
        for (var i = 0; i < keyframes.Count; i++)
        {
            if (keyframes[i].OffsetMilliseconds <= offsetMs)
            {
                index = i;
            }
        }

        var from = keyframes.Count > 0 ? keyframes[index].ByteOffset : 0;
        var to = index + 1 < keyframes.Count ? keyframes[index + 1].ByteOffset : length;
        return (from, to);
    }

    private async Task<byte[]?> ByDecoderAsync(Guid cameraId, string tsPath, long from, CancellationToken cancellationToken)
    {
        if (!_useDecoder.Value || LeftToFfmpeg(cameraId))
        {
            return null;
        }

        try
        {
            var (unit, streamType) = await AccessUnitReader.ReadAsync(tsPath, from, cancellationToken);
            return await decoder.EncodeAsync(unit, streamType == H265StreamType ? KeyFrameCodec.H265 : KeyFrameCodec.H264, Quality, cancellationToken);
        }
        catch (KeyFrameDecoderException e)
        {
            if (e.ProcessEnded && _strikes.AddOrUpdate(cameraId, 1, (_, n) => n + 1) == StrikesBeforeFfmpeg)
            {
                logger.LogError("Pictures of camera {CameraId} ended the key-frame decoder process {Strikes} times: its thumbnails are made by ffmpeg from now on", cameraId, StrikesBeforeFfmpeg);
            }

            logger.LogInformation("Thumbnail of camera {CameraId} left to ffmpeg: {Error}", cameraId, e.Message);
            return null;
        }
        catch (InvalidDataException e)
        {
            logger.LogInformation("Thumbnail of camera {CameraId} left to ffmpeg: {Error}", cameraId, e.Message);
            return null;
        }
    }

    private async Task<byte[]?> ByFfmpegAsync(Guid cameraId, DateTimeOffset at, string tsPath, long from, long to, CancellationToken cancellationToken)
    {
        // names the spool's segment patterns (*.ts) do not match, so that nothing takes the cut for a recorded file
        var jpeg = tsPath + ".thumb.jpg";
        var chunk = tsPath + ".thumb-gop";
        File.Delete(jpeg);
        try
        {
            // one GOP cut out by the key-frame index is decoded, never the whole segment (seeking with -ss is unreliable
            // in TS copied from RTSP); one thread, since frame threads would only decode pictures ahead of the one we keep
            await CopyRangeAsync(tsPath, from, to, chunk, cancellationToken);
            await ffmpeg.RunFfmpegAsync(["-loglevel", "error", "-threads", "1", "-f", "mpegts", "-i", chunk, "-frames:v", "1", "-q:v", Quality.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "image2", jpeg], cancellationToken);
            return File.Exists(jpeg) ? await File.ReadAllBytesAsync(jpeg, cancellationToken) : null;
        }
        catch (FfmpegException e)
        {
            logger.LogWarning("No thumbnail of camera {CameraId} at {At}: {Error}", cameraId, at, e.Message);
            return null;
        }
        finally
        {
            File.Delete(chunk);
            File.Delete(jpeg);
        }
    }

    private static async Task CopyRangeAsync(string tsPath, long from, long to, string chunkPath, CancellationToken cancellationToken)
    {
        await using var source = File.OpenRead(tsPath);
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
}

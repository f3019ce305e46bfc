using Footage.Core.Storage;
using Footage.Recording.Scanning;
using Footage.Recording.Spool;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Thumbnails;

/// <summary>
/// Thumbnails of the file ffmpeg is writing, each made as soon as the group of pictures of its capture time is whole in the
/// file. Cameras started together close their segments together, and an hour's segment has 12 capture times: made at the
/// close, their pictures would all be decoded in the same seconds and hold back the registration of every segment behind
/// them; made here, they are spread over the segment. Whatever is not made here (storage or database down, the recorder
/// restarted) the uploader makes when the segment closes: it skips only the capture times the thumbnails table holds.
/// </summary>
public sealed class GrowingThumbnails(
    ThumbnailMaker maker, IStorageBackendRegistry backends, SpoolScans scans, IOptions<RecordingOptions> options, ILogger<GrowingThumbnails> logger)
{
    /// <summary>
    /// Makes the thumbnails of the capture times after <paramref name="doneUntil"/> that the open file holds whole.
    /// </summary>
    /// <param name="fileStart">The wall-clock time of the file's first picture.</param>
    /// <param name="muxedUntil">The wall-clock time up to which ffmpeg has muxed footage into it.</param>
    /// <returns>The last capture time made or tried, to be passed back at the next call.</returns>
    public async Task<DateTimeOffset> MakeDueAsync(
        Guid cameraId, string path, DateTimeOffset fileStart, DateTimeOffset muxedUntil, DateTimeOffset doneUntil, CancellationToken cancellationToken)
    {
        var due = ThumbnailMaker.CaptureTimes(doneUntil >= fileStart ? doneUntil.AddTicks(1) : fileStart, muxedUntil, options.Value.ThumbnailSeconds);
        if (due.Count == 0)
        {
            return doneUntil;
        }

        TsScan scan;
        try
        {
            scan = await scans.For(path).AdvanceAsync(cancellationToken);
        }
        catch (IOException)
        {
            return doneUntil; // closed and taken by the uploader meanwhile: it makes what is left
        }

        foreach (var at in due)
        {
            var offsetMs = (long)(at - fileStart).TotalMilliseconds;
            if (!scan.Keyframes.Any(k => k.OffsetMilliseconds > offsetMs))
            {
                break; // the group of pictures of this instant is not whole yet
            }

            try
            {
                var key = await maker.MakeAtAsync(cameraId, at, path, offsetMs, scan.Keyframes, backends.Default, cancellationToken);
                RecordingMetrics.Thumbnails.WithLabels(key is null ? "failed" : "while_recording").Inc();
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                RecordingMetrics.Thumbnails.WithLabels("failed").Inc();
                logger.LogInformation("Thumbnail of camera {CameraId} at {At:O} left to the upload: {Error}", cameraId, at, e.Message);
            }

            doneUntil = at;
        }

        return doneUntil;
    }
}

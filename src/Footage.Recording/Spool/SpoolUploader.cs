using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Recording.Cameras;
using Footage.Recording.Thumbnails;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Spool;

/// <summary>
/// Moves closed segments from the spool to storage, oldest first across all cameras: checksum, key-frame
/// index, upload (verified by SHA-256), thumbnails, registration in the catalog, and only then deletion of
/// the spool file. Any failure (storage or database down) leaves the file where it is and retries with
/// backoff, so nothing is lost; a retry never duplicates because both the upload key and the registration
/// are determined by the segment's start. The index and checksum come from the scan the recorder kept while the file
/// grew (<see cref="SpoolScans"/>), so only the bytes written since its last look are read here.
/// </summary>
public sealed class SpoolUploader(
    SpoolFolder spool,
    SpoolScans scans,
    IStorageBackendRegistry backends,
    ISegmentCatalog catalog,
    ThumbnailMaker thumbnails,
    StatusBoard statuses,
    IOptions<RecordingOptions> options,
    TimeProvider clock,
    ILogger<SpoolUploader> logger) : BackgroundService
{
    private static readonly TimeSpan IdleLook = TimeSpan.FromSeconds(10);
    // summing the spool means a stat of every file of every camera: not on each of the many drains a second at scale
    private static readonly TimeSpan SpoolSumEvery = TimeSpan.FromSeconds(5);
    private long? _spoolSummedAt;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _draining = new(1, 1);

    /// <summary>A segment was closed: look now rather than at the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // recorders wake us when a segment closes; the timeout only keeps the disk metrics fresh and retries
                await _wake.WaitAsync(backoff > TimeSpan.Zero ? backoff : IdleLook, stoppingToken);
                await DrainAsync(stoppingToken);
                backoff = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                RecordingMetrics.UploadFailures.Inc();
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.UploadBackoffMax.Ticks));
                logger.LogWarning("Spool upload failed, retrying in {Backoff}: {Error}", backoff, e.Message);
            }
        }
    }

    /// <summary>Stores every pending segment, oldest first; throws at the first that cannot be stored now.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        // one drain at a time: the final drain at shutdown may overlap the background loop's
        await _draining.WaitAsync(cancellationToken);
        try
        {
            try
            {
                foreach (var (folder, segment) in await PendingAsync(cancellationToken))
                {
                    await StoreAsync(folder, segment, cancellationToken);
                }
            }
            finally
            {
                UpdateDiskMetrics();
            }
        }
        finally
        {
            _draining.Release();
        }
    }

    private async Task<List<(string Folder, SpooledSegment Segment)>> PendingAsync(CancellationToken cancellationToken)
    {
        var pending = new List<(string, SpooledSegment)>();
        foreach (var cameraId in spool.Cameras())
        {
            var folder = spool.CameraFolder(cameraId);
            foreach (var sidecar in Directory.EnumerateFiles(folder, "*.ts" + SpooledSegment.Extension))
            {
                if (await SpooledSegment.ReadAsync(sidecar, cancellationToken) is { } segment)
                {
                    pending.Add((folder, segment));
                }
            }
        }

        return pending.OrderBy(p => p.Item2.StartTime).ToList();
    }

    private async Task StoreAsync(string folder, SpooledSegment segment, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, segment.File);
        var sidecar = SpooledSegment.SidecarOf(path);
        if (!File.Exists(path))
        {
            File.Delete(sidecar); // stored and deleted before a crash could remove the sidecar
            scans.Forget(path);
            return;
        }

        var status = statuses.For(segment.CameraId);
        // nothing writes the file any more: its length now is its length for good
        var size = new FileInfo(path).Length;
        var (scan, sha256) = await scans.For(path).FinishAsync(cancellationToken);
        if (size > 0 && scan.ValidLength == size && scan.VideoPid is not null && scan.Keyframes.Count == 0 && scan.DurationSeconds < 1)
        {
            // well-formed, but only the frames after the last key frame that a stop flushed: nothing a player can show
            File.Delete(path);
            File.Delete(sidecar);
            scans.Forget(path);
            RecordingMetrics.Segments.WithLabels(segment.CameraId.ToString("D"), "dropped_no_key_frame").Inc();
            logger.LogInformation("Dropped {File} of camera {CameraId}: {Bytes} bytes without a key frame", segment.File, segment.CameraId, size);
            return;
        }

        if (!scan.IsPlayable || scan.ValidLength != size || segment.EndTime <= segment.StartTime)
        {
            Reject(path, segment, status, size == 0 ? "empty file" : !scan.IsPlayable ? "no playable video (no key frame)" : "not whole MPEG-TS packets");
            return;
        }

        if (scan.HasPrivateDataStream)
        {
            // the footage is kept (its video plays), but whoever looks is told that a stream in it is unreadable: the recorder
            // converts or drops sound MPEG-TS cannot carry, so this is footage recorded otherwise (an older version, by hand)
            status.Error($"segment {segment.File} carries a private data stream no player reads (sound MPEG-TS cannot carry?)");
            logger.LogWarning("Segment {File} of camera {CameraId} carries a private data stream (stream type 0x06) no player reads", segment.File, segment.CameraId);
        }

        // LOCAL and BOTH keep our copy in the default backend (MILESTONE cameras are not recorded by us)
        var backend = backends.Default;
        // the scan covers the whole file (ValidLength == size), so its checksum is the file's
        var key = ObjectKeys.ForSegment(segment.CameraId, segment.StartTime);
        var duration = segment.EndTime - segment.StartTime;
        var candidate = new NewSegment(segment.CameraId, segment.StartTime, segment.EndTime, (int)Math.Round(duration.TotalSeconds), size, backend.Name, key, sha256,
            null, scan.ToIndex());

        // Stored footage is never overwritten: what the catalog holds at this start is looked at before anything is written
        // under its key, and the write itself is create-only.
        if (await CataloguedAtAsync(segment, cancellationToken) is { } existing)
        {
            if (SegmentIdentity.Matches(existing, candidate))
            {
                Stored(path, sidecar, segment, status); // uploaded and registered before a crash could clean the spool
            }
            else
            {
                await QuarantineAsync(path, segment, candidate, backend, existing.Id, $"the catalog already holds a different segment {existing.Id} at this start", status, cancellationToken);
            }

            return;
        }

        try
        {
            // the hash comes from this very file, which nothing writes any more: the backend need not read it again to hash it
            await backend.PutFileAsync(StorageBuckets.Recordings, key, path, sha256, cancellationToken);
        }
        catch (ObjectExistsException e)
        {
            await QuarantineAsync(path, segment, candidate, backend, null, $"other bytes (SHA-256 {e.ExistingSha256}) are already stored under {key}", status, cancellationToken);
            return;
        }

        var thumbnail = await thumbnails.MakeAsync(segment, path, scan.Keyframes, backend, cancellationToken);
        var registration = await catalog.RegisterAsync(candidate with { ThumbnailPath = thumbnail }, cancellationToken);
        if (registration.Outcome == SegmentRegistrationOutcome.Conflict)
        {
            // registered by someone else between our look and our upload; what we stored under the key is left for the
            // integrity scrub to report (a row may point at it)
            await QuarantineAsync(path, segment, candidate, backend, registration.Segment.Id,
                $"the catalog already holds a different segment {registration.Segment.Id} at this start", status, cancellationToken);
            return;
        }

        Stored(path, sidecar, segment, status);
    }

    private void Stored(string path, string sidecar, SpooledSegment segment, CameraStatus status)
    {
        File.Delete(path);
        File.Delete(sidecar);
        scans.Forget(path);
        status.SegmentStored(segment.EndTime);
        RecordingMetrics.Segments.WithLabels(segment.CameraId.ToString("D"), "stored").Inc();
        RecordingMetrics.SegmentToCatalogSeconds.Observe(Math.Max(0, (clock.GetUtcNow() - segment.EndTime).TotalSeconds));
    }

    /// <summary>The segment the catalog holds at exactly this camera and start, if any.</summary>
    private async Task<Segment?> CataloguedAtAsync(SpooledSegment segment, CancellationToken cancellationToken)
    {
        var start = Instants.Normalize(segment.StartTime);
        var page = await catalog.ListAsync(new SegmentQuery(segment.CameraId, start, start.AddTicks(Instants.TicksPerMicrosecond), null, 10), cancellationToken);
        return page.Items.FirstOrDefault(s => s.StartTime == start);
    }

    /// <summary>
    /// A recording that claims a camera and start where other footage is already stored or catalogued: kept under its own
    /// quarantine key in the clips bucket with its own row, reported, never in place of the original.
    /// </summary>
    private async Task QuarantineAsync(string path, SpooledSegment segment, NewSegment candidate, IStorageBackend backend, Guid? conflicting, string reason,
        CameraStatus status, CancellationToken cancellationToken)
    {
        var key = ObjectKeys.ForQuarantine(segment.CameraId, segment.StartTime, candidate.Checksum!);
        await backend.PutFileAsync(StorageBuckets.Clips, key, path, candidate.Checksum!, cancellationToken);
        await catalog.QuarantineAsync(candidate with { StoragePath = key }, conflicting, reason, cancellationToken);
        File.Delete(path);
        File.Delete(SpooledSegment.SidecarOf(path));
        scans.Forget(path);
        status.Error($"segment {segment.File} quarantined as {key}: {reason}");
        RecordingMetrics.Segments.WithLabels(segment.CameraId.ToString("D"), "quarantined").Inc();
        logger.LogWarning("Quarantined spooled segment {File} of camera {CameraId} as {Key}: {Reason}", segment.File, segment.CameraId, key, reason);
    }

    /// <summary>A file that is not good footage is kept aside for inspection, reported, and never registered.</summary>
    private void Reject(string path, SpooledSegment segment, CameraStatus status, string reason)
    {
        var rejected = Path.Combine(spool.RejectedRoot, segment.CameraId.ToString("D"));
        Directory.CreateDirectory(rejected);
        File.Move(path, Path.Combine(rejected, segment.File), overwrite: true);
        File.Delete(SpooledSegment.SidecarOf(path));
        scans.Forget(path);
        status.Error($"segment {segment.File} rejected: {reason}");
        RecordingMetrics.Segments.WithLabels(segment.CameraId.ToString("D"), "rejected").Inc();
        logger.LogWarning("Rejected spooled segment {File} of camera {CameraId}: {Reason}", segment.File, segment.CameraId, reason);
    }

    private void UpdateDiskMetrics()
    {
        var free = spool.FreeBytes();
        RecordingMetrics.SpoolFreeBytes.Set(free);
        RecordingMetrics.DiskAlarm.Set(free < options.Value.MinFreeSpoolBytes ? 1 : 0);
        if (_spoolSummedAt is not { } summed || clock.GetElapsedTime(summed) >= SpoolSumEvery)
        {
            _spoolSummedAt = clock.GetTimestamp();
            RecordingMetrics.SpoolBytes.Set(spool.Cameras().Sum(spool.Bytes));
        }
    }
}

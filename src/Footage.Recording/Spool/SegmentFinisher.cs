using Microsoft.Extensions.Logging;

namespace Footage.Recording.Spool;

/// <summary>
/// Turns what an ffmpeg run left in the spool into sidecar-described segments: closed files get their
/// times from the segment list, a partial last file (ffmpeg killed, crashed or the camera gone) is cut to
/// whole packets and timed by its PTS after the last closed one. Used when a run ends and at start-up.
/// </summary>
public sealed class SegmentFinisher(SpoolScans scans, TimeProvider clock, ILogger<SegmentFinisher> logger)
{
    private const int TsPacketSize = 188;

    /// <summary>Writes sidecars for the run's closed segments that have none yet; returns them.</summary>
    public async Task<IReadOnlyList<SpooledSegment>> CloseListedAsync(Guid cameraId, string folder, string run, RunAnchor anchor, ISet<string> done, CancellationToken cancellationToken)
    {
        var closed = new List<SpooledSegment>();
        foreach (var entry in SegmentListEntry.ReadAll(Path.Combine(folder, SpoolFolder.ListFile(run))))
        {
            if (done.Contains(entry.File) || !File.Exists(Path.Combine(folder, entry.File)))
            {
                done.Add(entry.File);
                continue;
            }

            var segment = new SpooledSegment(cameraId, entry.File, anchor.Start.AddSeconds(entry.Start), anchor.Start.AddSeconds(entry.End));
            if (!File.Exists(Path.Combine(folder, SpooledSegment.SidecarOf(entry.File))))
            {
                CutToWholePackets(cameraId, Path.Combine(folder, entry.File));
                await segment.WriteAsync(folder, cancellationToken);
            }

            done.Add(entry.File);
            closed.Add(segment);
        }

        return closed;
    }

    /// <summary>Finishes every file of a run that is over: listed ones by the list, the partial one by its PTS; then drops the run's list and anchor.</summary>
    public async Task<IReadOnlyList<SpooledSegment>> FinishRunAsync(Guid cameraId, string folder, string run, CancellationToken cancellationToken)
    {
        if (await OrphanedRecorders.StopAsync(folder, run, cancellationToken))
        {
            logger.LogWarning("Stopped the ffmpeg of run {Run} of camera {CameraId}, left running by a recorder that died", run, cameraId);
        }

        var anchor = RunAnchor.Read(folder, run);
        var finished = new List<SpooledSegment>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var entries = SegmentListEntry.ReadAll(Path.Combine(folder, SpoolFolder.ListFile(run)));
        if (anchor is not null)
        {
            finished.AddRange(await CloseListedAsync(cameraId, folder, run, anchor, done, cancellationToken));
        }

        var lastEnd = entries.Count > 0 ? entries.Max(e => e.End) : 0;
        foreach (var path in SpoolFolder.SegmentFiles(folder, run))
        {
            var file = Path.GetFileName(path);
            if (done.Contains(file) || File.Exists(SpooledSegment.SidecarOf(path)))
            {
                continue;
            }

            if (await FinishPartialAsync(cameraId, folder, path, anchor?.Start.AddSeconds(lastEnd), cancellationToken) is { } partial)
            {
                finished.Add(partial);
            }
        }

        File.Delete(Path.Combine(folder, SpoolFolder.ListFile(run)));
        File.Delete(RunAnchor.PathOf(folder, run));
        OrphanedRecorders.Forget(folder, run);
        return finished;
    }

    /// <summary>
    /// ffmpeg lists a segment as closed when a write into it failed (ENOSPC on a full disk), though its last packet may be
    /// cut short: drop that piece so that the whole packets before it are stored. A size check only; the upload's scan
    /// checks every packet.
    /// </summary>
    private void CutToWholePackets(Guid cameraId, string path)
    {
        var length = new FileInfo(path).Length;
        if (length % TsPacketSize != 0)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
            stream.SetLength(length - (length % TsPacketSize));
            logger.LogWarning("Segment {File} of camera {CameraId} ended in a packet cut short ({Bytes} bytes), probably a failed write: cut to whole packets",
                Path.GetFileName(path), cameraId, length % TsPacketSize);
        }
    }

    /// <summary>
    /// Finishes the runs of a camera that an earlier attempt could not finish (on a full disk the sidecar of the partial
    /// last segment, or the run's own files, cannot be written): called by the camera's recorder before each new run and,
    /// while one is left, every few seconds during the run (<paramref name="except"/>, the run in progress, left alone), so
    /// that such footage is stored once there is room again, not only after a restart. A run that still cannot be finished
    /// stays for the next attempt.
    /// </summary>
    public async Task<IReadOnlyList<SpooledSegment>> FinishLeftoverRunsAsync(Guid cameraId, string folder, string? except, CancellationToken cancellationToken)
    {
        var finished = new List<SpooledSegment>();
        foreach (var run in SpoolFolder.UnfinishedRuns(folder).Where(r => r != except).ToArray())
        {
            try
            {
                finished.AddRange(await FinishRunAsync(cameraId, folder, run, cancellationToken));
            }
            catch (IOException e)
            {
                logger.LogWarning("Run {Run} of camera {CameraId} is not finished yet, tried again before the next run: {Error}", run, cameraId, e.Message);
            }
        }

        return finished;
    }

    private async Task<SpooledSegment?> FinishPartialAsync(Guid cameraId, string folder, string path, DateTimeOffset? start, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            // the muxer had opened the next file but written nothing yet: there is no footage to keep
            File.Delete(path);
            scans.Forget(path);
            return null;
        }

        // the recorder followed the file while it grew: only its last bytes are read here (all of it after a restart)
        var scan = await scans.For(path).AdvanceAsync(cancellationToken);
        if (scan.ValidLength < length)
        {
            // a crash leaves a packet cut short at the end: drop it, the rest plays
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
            stream.SetLength(scan.ValidLength);
        }

        var duration = TimeSpan.FromSeconds(scan.DurationSeconds);
        var begin = start ?? (new FileInfo(path).LastWriteTimeUtc is var written && written.Year > 2000
            ? new DateTimeOffset(written, TimeSpan.Zero) - duration
            : clock.GetUtcNow() - duration);
        var segment = new SpooledSegment(cameraId, Path.GetFileName(path), begin, begin + duration);
        await segment.WriteAsync(folder, cancellationToken);
        logger.LogInformation("Finished partial segment {File} of camera {CameraId}: {Bytes} bytes, {Duration:F2} s", segment.File, cameraId, scan.ValidLength, scan.DurationSeconds);
        return segment;
    }
}

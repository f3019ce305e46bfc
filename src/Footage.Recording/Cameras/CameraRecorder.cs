using Footage.Core;
using Footage.Core.Cameras;
using Footage.Ffmpeg;
using Footage.Recording.Processes;
using Footage.Recording.Quota;
using Footage.Recording.Sources;
using Footage.Recording.Spool;
using Footage.Recording.Thumbnails;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Cameras;

/// <summary>
/// The supervisor of one camera: reserve a stream, run ffmpeg, watch its output (not its exit code: ffmpeg
/// may wait or exit 0 when a camera vanishes), hand closed segments to the uploader, finish the partial one
/// when a run ends, and restart with backoff. A restart starts a new run with a new wall-clock anchor, so
/// time the camera was really gone is a gap between runs.
/// </summary>
public sealed class CameraRecorder(
    Guid cameraId,
    ICameraDirectory directory,
    IStreamQuota quota,
    SpoolFolder spool,
    SegmentFinisher finisher,
    SpoolScans scans,
    SpoolUploader uploader,
    GrowingThumbnails thumbnails,
    CameraStreamProbe probe,
    RecordedFootageEnds footageEnds,
    CameraStatus status,
    IOptions<RecordingOptions> options,
    IOptions<FfmpegOptions> ffmpeg,
    TimeProvider clock,
    ILogger logger)
{
    private static readonly TimeSpan LeftoverRetry = TimeSpan.FromSeconds(5);

    private bool _overlayFailed;
    private bool _bFramesSeen;
    private bool _looked;
    private Camera? _known;

    public Guid CameraId { get; } = cameraId;

    public async Task RunAsync(CancellationToken stop)
    {
        var o = options.Value;
        var backoff = o.RestartBackoffMin;
        var first = true;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!first)
                {
                    status.Restarted();
                    status.Set(RecordingState.Reconnecting, clock.GetUtcNow());
                    await Task.Delay(backoff, clock, stop);
                }

                first = false;
                status.Set(RecordingState.Starting, clock.GetUtcNow());
                var camera = await CameraAsync(stop);
                if (camera is null)
                {
                    status.Error("camera not found in the directory");
                    status.Set(RecordingState.Failed, clock.GetUtcNow());
                    backoff = Next(backoff);
                    continue;
                }

                if (!IsDemo(camera) && !RtspUrls.IsValid(camera.RtspUrl, out var urlProblem))
                {
                    // whatever the directory (our table, the VMS Service) holds, ffmpeg opens only rtsp:// and rtsps://
                    status.Error($"refused: the camera's URL in the camera directory {urlProblem}");
                    status.Set(RecordingState.Failed, clock.GetUtcNow());
                    await Task.Delay(o.RestartBackoffMax, clock, stop);
                    first = true;
                    continue;
                }

                if (camera.StorageMode == StorageMode.Milestone)
                {
                    // its mode changed after recording was asked for: Milestone records it, not us; look again later
                    status.Error("storage mode is MILESTONE: Milestone records this camera");
                    status.Set(RecordingState.Milestone, clock.GetUtcNow());
                    await Task.Delay(o.RestartBackoffMax, clock, stop);
                    first = true; // nothing ran, so the next look is not a restart
                    continue;
                }

                if (!await ReserveAsync(camera, stop))
                {
                    continue;
                }

                bool delivered;
                try
                {
                    delivered = await RunOnceAsync(camera, stop);
                }
                finally
                {
                    await quota.ReleaseAsync(CameraId, camera.Source, CancellationToken.None);
                }

                backoff = delivered ? o.RestartBackoffMin : Next(backoff);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // the exception is logged as redacted text, never as the object: its message or a nested one may hold the URL
                status.Error(RtspUrls.Redact(e.Message));
                logger.LogWarning("Recorder of camera {CameraId} failed: {Error}", CameraId, RtspUrls.Redact(e.ToString()));
                backoff = Next(backoff);
            }
        }

        status.Set(RecordingState.Stopped, clock.GetUtcNow());
    }

    private TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.RestartBackoffMax.Ticks));

    private async Task<Camera?> CameraAsync(CancellationToken stop)
    {
        var demo = options.Value.DemoCamera;
        if (demo.Enabled && CameraId == demo.Id)
        {
            var now = clock.GetUtcNow();
            return await directory.GetAsync(CameraId, stop) ?? new Camera(demo.Id, demo.Name, DemoCamera.Source, null, StorageMode.Local, null, true, now, now);
        }

        try
        {
            _known = await directory.GetAsync(CameraId, stop);
            return _known;
        }
        catch (Exception e) when (_known is not null && !stop.IsCancellationRequested)
        {
            // the directory (the database, the VMS Service) is down: a restart goes on with the camera as last read
            logger.LogWarning("Camera {CameraId} restarts with its last known settings: the camera directory did not answer ({Error})", CameraId, e.Message);
            return _known;
        }
    }

    private async Task<bool> ReserveAsync(Camera camera, CancellationToken stop)
    {
        while (!await quota.TryReserveAsync(CameraId, camera.Source, stop))
        {
            status.Error($"waiting for a stream of source '{camera.Source}': its quota is in use");
            status.Set(RecordingState.WaitingForQuota, clock.GetUtcNow());
            await Task.Delay(TimeSpan.FromSeconds(1), clock, stop);
        }

        return true;
    }

    /// <summary>One ffmpeg run; true when it delivered footage.</summary>
    private async Task<bool> RunOnceAsync(Camera camera, CancellationToken stop)
    {
        var o = options.Value;
        var folder = spool.CameraFolder(CameraId);
        var run = SpoolFolder.NewRunName(clock.GetUtcNow());
        var isDemo = IsDemo(camera);
        var font = isDemo && !_overlayFailed ? DemoCamera.FindFont(o.DemoCamera.FontFile) : null;
        // what a run before this one left (a crash, a restart) is finished first, whether or not the camera answers now
        if (await finisher.FinishLeftoverRunsAsync(CameraId, folder, null, stop) is { Count: > 0 } leftover)
        {
            footageEnds.Covered(CameraId, leftover.Max(l => l.EndTime));
            uploader.Wake();
        }

        // one that could not be finished now (the spool disk full) is tried again while this run records, not at the next
        // run only: a run that goes on for hours would otherwise hold that footage back for as long
        var leftoversPending = SpoolFolder.UnfinishedRuns(folder).Any();

        IReadOnlyList<string> arguments;
        // the demo camera encodes ffmpeg's test picture: only ffmpeg can record it, whatever the engine
        var program = ffmpeg.Value.FfmpegPath;
        if (isDemo)
        {
            arguments = RecorderArguments.ForDemo(font, o.SegmentSeconds, run, o.StallTimeout, flushEveryPacket: true);
        }
        else
        {
            var url = camera.RtspUrl ?? throw new InvalidOperationException("the camera has no RTSP URL");
            // what the camera sends decides what is copied, converted or dropped: asked at every run, as a camera's settings may change
            RecordingPlan plan;
            try
            {
                var streams = await probe.ProbeAsync(url, camera.RtspTransport, o.StartTimeout, stop);
                plan = RecordingPlan.For(camera, streams, _bFramesSeen);
                status.Streams(streams, plan);
            }
            catch (CameraProbeException e)
            {
                // ffmpeg would wait as long on a camera that did not answer the probe and say less: the run ends here, with the reason
                status.Error(RtspUrls.Redact(e.Message));
                logger.LogWarning("Recorder of camera {CameraId}: {Failure}", CameraId, RtspUrls.Redact(e.Message));
                return false;
            }
            catch (System.Text.Json.JsonException e)
            {
                // an answer that could not be read: the camera is recorded as before the probe existed (any sound copied)
                logger.LogInformation("Camera {CameraId} described its streams unreadably: {Error}", CameraId, RtspUrls.Redact(e.Message));
                plan = RecordingPlan.Unprobed(camera, _bFramesSeen);
            }

            if (o.Engine == RecordingEngine.Remuxer)
            {
                program = Remuxer.RemuxerProgram.PathFor(o);
                arguments = Remuxer.RemuxerArguments.ForRtsp(url, plan, o.SegmentSeconds, run, o.StallTimeout, o.FlushEveryPacket, CameraId);
            }
            else
            {
                arguments = RecorderArguments.ForRtsp(url, plan, o.SegmentSeconds, run, o.StallTimeout, o.FlushEveryPacket);
            }
        }

        // supervision counts monotonic time, the run's times come from its timeline: a step of the wall clock moves neither
        var timeline = new RunTimeline(clock, await footageEnds.EndAsync(CameraId, !_looked, stop));
        _looked = true;
        status.Run(timeline);
        RunAnchor? anchor = null;
        var done = new HashSet<string>(StringComparer.Ordinal);
        var lastProgress = clock.GetTimestamp();
        TimeSpan? lastOutTime = null;
        long lastSize = 0;
        long closedBytes = 0;
        // the file the muxer writes now: the one after the last it listed as closed, and what it held at the last look
        var openIndex = 0;
        long openSize = 0;
        // where that file starts on the run's timeline (unknown until the run is anchored), and the thumbnails made of the run
        DateTimeOffset? lastClosedEnd = null;
        var thumbnailsUntil = DateTimeOffset.MinValue;
        var windowStart = lastProgress;
        long windowBytes = 0;
        string? failure = null;
        var listFile = Path.Combine(folder, SpoolFolder.ListFile(run));
        long listSeen = -1;
        var bytesRecorded = RecordingMetrics.BytesRecorded.WithLabels(CameraId.ToString("D"));

        await using var process = RecorderProcess.Start(program, arguments, folder, logger, text => RtspUrls.Redact(text), clock);
        OrphanedRecorders.Remember(folder, run, process.Id);
        var leftoversTried = clock.GetTimestamp();
        try
        {
            while (true)
            {
                // woken by each progress report (every 2 s by default) or, when none comes, after the poll interval
                await process.WaitForReportAsync(o.PollInterval, stop);
                var now = clock.GetTimestamp();
                if (leftoversPending && clock.GetElapsedTime(leftoversTried, now) >= LeftoverRetry)
                {
                    leftoversTried = now;
                    if (await finisher.FinishLeftoverRunsAsync(CameraId, folder, run, stop) is { Count: > 0 })
                    {
                        uploader.Wake();
                    }

                    leftoversPending = SpoolFolder.UnfinishedRuns(folder).Any(r => r != run);
                }

                if (process.Progress is { OutTime: var muxed } report && muxed > TimeSpan.Zero && (lastOutTime is null || muxed > lastOutTime))
                {
                    lastOutTime = muxed;
                    lastProgress = now;
                    // each report gives a latest possible time zero (the time of its read, not of this poll, less what
                    // was muxed by then); the earliest of them before the first segment closes is the tightest anchor
                    if (timeline.Offer(report, done.Count > 0) is { } better)
                    {
                        if (anchor is null)
                        {
                            status.Error(null);
                            status.Set(RecordingState.Recording, clock.GetUtcNow());
                        }

                        anchor = better;
                        await anchor.WriteAsync(folder, run, stop);
                    }
                }

                if (clock.GetElapsedTime(windowStart, now) is var window && window >= TimeSpan.FromSeconds(2))
                {
                    status.Bitrate((long)(windowBytes * 8 / window.TotalSeconds));
                    windowStart = now;
                    windowBytes = 0;
                }

                // the list only grows, by a line per closed segment: read it only when it did
                var listLength = LengthOf(listFile);
                if (anchor is not null && listLength != listSeen)
                {
                    listSeen = listLength;
                    if (await finisher.CloseListedAsync(CameraId, folder, run, anchor, done, stop) is { Count: > 0 } closed)
                    {
                        lastClosedEnd = closed.Max(c => c.EndTime);
                        footageEnds.Covered(CameraId, lastClosedEnd.Value);
                        foreach (var segment in closed)
                        {
                            var index = SpoolFolder.IndexOf(segment.File);
                            // the uploader may have taken the file already: then its size is what was last seen of it
                            closedBytes += LengthOf(Path.Combine(folder, segment.File)) is > 0 and var length ? length : index == openIndex ? openSize : 0;
                            openIndex = Math.Max(openIndex, index + 1);
                        }

                        openSize = 0;
                        uploader.Wake();
                    }
                }

                // the segment muxer reports no sizes: count the bytes in the spool files themselves (one stat a look)
                var openPath = Path.Combine(folder, SpoolFolder.SegmentFile(run, openIndex));
                if (LengthOf(openPath) is > 0 and var openLength)
                {
                    openSize = Math.Max(openSize, openLength);
                    await FollowAsync(openPath, stop);
                    if (anchor is not null && lastOutTime is { } muxedSoFar)
                    {
                        thumbnailsUntil = await thumbnails.MakeDueAsync(CameraId, openPath, lastClosedEnd ?? anchor.Start, anchor.Start + muxedSoFar, thumbnailsUntil, stop);
                    }
                }

                var written = closedBytes + openSize;
                if (written > lastSize)
                {
                    windowBytes += written - lastSize;
                    bytesRecorded.Inc(written - lastSize);
                    lastSize = written;
                }

                if (process.HasExited)
                {
                    failure = $"{Path.GetFileName(program)} exited with code {process.ExitCode}: {process.StderrTail}";
                    break;
                }

                var silence = clock.GetElapsedTime(lastProgress, now);
                var limit = anchor is null ? o.StartTimeout : o.StallTimeout;
                if (silence > limit)
                {
                    failure = $"no footage for {silence.TotalSeconds:F0} s; {process.StderrTail}";
                    await process.TerminateAsync(TimeSpan.FromSeconds(2));
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await process.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await process.StopAsync(TimeSpan.FromSeconds(2));
            status.Bitrate(0);
            if (await finisher.FinishRunAsync(CameraId, folder, run, CancellationToken.None) is { Count: > 0 } finished)
            {
                footageEnds.Covered(CameraId, finished.Max(f => f.EndTime));
            }

            status.Run(null);
            uploader.Wake();
        }

        if (failure is not null)
        {
            if (isDemo && font is not null && anchor is null && failure.Contains("drawtext", StringComparison.OrdinalIgnoreCase))
            {
                _overlayFailed = true;
            }

            if (failure.Contains("first pts and dts value must be set", StringComparison.Ordinal))
            {
                // B-frames that the probe did not see (a camera without the SPS field that says so): the next run minds them
                _bFramesSeen = true;
            }

            status.Error(RtspUrls.Redact(failure.Trim()));
            logger.LogWarning("Recorder of camera {CameraId}: {Failure}", CameraId, RtspUrls.Redact(failure));
        }

        return anchor is not null;
    }

    /// <summary>Indexes and checksums what ffmpeg added to the file it writes, so that its upload reads only the rest.</summary>
    private async Task FollowAsync(string path, CancellationToken stop)
    {
        try
        {
            await scans.For(path).CatchUpAsync(stop);
        }
        catch (IOException e)
        {
            // taken by the uploader meanwhile, or unreadable now: the uploader reads what this did not
            logger.LogDebug("Could not follow {File} of camera {CameraId}: {Error}", Path.GetFileName(path), CameraId, e.Message);
        }
    }

    private static bool IsDemo(Camera camera) => camera.Source == DemoCamera.Source && camera.RtspUrl is null;

    private static long LengthOf(string path) => new FileInfo(path) is { Exists: true } file ? file.Length : 0;
}

using System.Collections.Concurrent;
using Footage.Core.Cameras;
using Footage.Data;
using Footage.Ffmpeg;
using Footage.Recording.Leases;
using Footage.Recording.Quota;
using Footage.Recording.Spool;
using Footage.Recording.Thumbnails;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Cameras;

/// <summary>
/// Runs one <see cref="CameraRecorder"/> per camera that should record and whose lease this recorder holds. At start-up
/// it first finishes whatever a crash left in the spool, then the <see cref="CameraLeaseCoordinator"/> resumes the cameras
/// persisted in <c>recording_state</c>, sharing them with the other recorders.
/// </summary>
public sealed class RecordingManager(
    RecordingStateRepository state,
    ICameraDirectory directory,
    IStreamQuota quota,
    SpoolFolder spool,
    SegmentFinisher finisher,
    SpoolScans scans,
    SpoolUploader uploader,
    GrowingThumbnails thumbnails,
    Sources.CameraStreamProbe probe,
    StatusBoard statuses,
    IDatabase database,
    CameraLeaseCoordinator leases,
    Fleet.CameraHealthPublisher health,
    RecordingStateSignal signal,
    RecordedFootageEnds footageEnds,
    IOptions<RecordingOptions> options,
    IOptions<FfmpegOptions> ffmpeg,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService, ILeasedCameras
{
    // a camera stays here until its run has ended, so that no second recorder starts on its spool folder meanwhile
    private readonly ConcurrentDictionary<Guid, RecorderRun> _running = new();
    private readonly ILogger _logger = loggers.CreateLogger<RecordingManager>();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationToken _stopping;

    public bool IsRecording(Guid cameraId) => _running.TryGetValue(cameraId, out var run) && !run.Stopping;

    /// <summary>The cameras recorded and not being stopped.</summary>
    public IReadOnlyCollection<Guid> Running => _running.Where(r => !r.Value.Stopping).Select(r => r.Key).ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        await RecoverSpoolAsync(stoppingToken);
        uploader.Wake();
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ResumeAsync(stoppingToken);
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // the database may be down at start-up: the spool keeps nothing waiting, so keep trying
                _logger.LogWarning("Could not resume recording yet: {Error}", e.Message);
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        await Task.WhenAll(leases.RunAsync(this, stoppingToken), health.RunAsync(this, stoppingToken), signal.ListenAsync(leases.Wake, stoppingToken));
    }

    /// <summary>Closes every run a previous process left behind (it cannot be running: we own the spool).</summary>
    public async Task RecoverSpoolAsync(CancellationToken cancellationToken)
    {
        foreach (var cameraId in spool.Cameras())
        {
            var folder = spool.CameraFolder(cameraId);
            foreach (var run in SpoolFolder.Runs(folder).ToArray())
            {
                var finished = await finisher.FinishRunAsync(cameraId, folder, run, cancellationToken);
                if (finished.Count > 0)
                {
                    _logger.LogInformation("Recovered {Count} spooled segments of camera {CameraId} from run {Run}", finished.Count, cameraId, run);
                }
            }
        }
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value.DemoCamera;
        if (demo.Enabled)
        {
            await DemoCameraRow.EnsureAsync(database, demo, clock.GetUtcNow(), cancellationToken);
            await state.SetDefaultAsync(demo.Id, true, cancellationToken);
        }
    }

    public async Task StartCameraAsync(Guid cameraId, string actor, CancellationToken cancellationToken)
    {
        await state.SetAsync(cameraId, true, actor, cancellationToken);
        await leases.PlanAsync(this, cancellationToken);
        // over this recorder's share: another one with room takes it now rather than in its next round
        await signal.NotifyAsync(cameraId, cancellationToken);
    }

    public async Task StopCameraAsync(Guid cameraId, string actor, CancellationToken cancellationToken)
    {
        await state.SetAsync(cameraId, false, actor, cancellationToken);
        await StopRecorderAsync(cameraId);
        await leases.ReleaseAsync(cameraId, cancellationToken);
        // held by another recorder: it stops the camera now rather than in its next round
        await signal.NotifyAsync(cameraId, cancellationToken);
    }

    /// <summary>Starts the camera's recorder; when its previous one is still stopping, once that run has ended.</summary>
    public async Task StartRecorderAsync(Guid cameraId)
    {
        while (true)
        {
            RecorderRun? ending;
            await _gate.WaitAsync(_stopping);
            try
            {
                if (_stopping.IsCancellationRequested || (_running.TryGetValue(cameraId, out ending) && !ending.Stopping))
                {
                    return;
                }

                if (ending is null)
                {
#pragma warning disable CA2000 // the RecorderRun disposes it once the run has stopped
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
#pragma warning restore CA2000
                    var recorder = new CameraRecorder(cameraId, directory, quota, spool, finisher, scans, uploader, thumbnails, probe, footageEnds, statuses.For(cameraId), options, ffmpeg, clock,
                        loggers.CreateLogger<CameraRecorder>());
                    _running[cameraId] = new RecorderRun(stop, Task.Run(() => recorder.RunAsync(stop.Token), CancellationToken.None));
                    return;
                }
            }
            finally
            {
                _gate.Release();
            }

            // whatever ended it, the camera may be recorded again now
            await ending.Ended.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task StopRecorderAsync(Guid cameraId)
    {
        if (_running.TryGetValue(cameraId, out var running))
        {
            await running.StopAsync(async () =>
            {
                try
                {
                    // said while the lease is still held (it is given back after this), so the other processes see it stopped
                    await health.ReportNowAsync(cameraId, CancellationToken.None);
                    // another recorder may record it now: this one no longer reports on it (no false "not recording" alert)
                    RecordingMetrics.CameraState.RemoveLabelled(cameraId.ToString("D"));
                }
                finally
                {
                    _running.TryRemove(new KeyValuePair<Guid, RecorderRun>(cameraId, running));
                }
            });
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_running.Keys.ToArray().Select(StopRecorderAsync));
        try
        {
            await leases.LeaveAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("Leases expire instead of being given back: {Error}", e.Message);
        }

        // the last segments were closed by the graceful stops: store them while the storage is still up
        try
        {
            await uploader.DrainAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("Segments stay spooled until the next start: {Error}", e.Message);
        }
    }
}

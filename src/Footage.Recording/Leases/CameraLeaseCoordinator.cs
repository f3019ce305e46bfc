using Footage.Recording.Cameras;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Leases;

/// <summary>
/// Shares the cameras between recorder processes through <c>camera_leases</c>. One loop renews this recorder's
/// heartbeat and leases; another plans (<see cref="FairShare"/>): it stops cameras whose lease was lost or is given
/// back (closing their segments first, then deleting the lease), and takes free or expired leases up to its fair
/// share. With a single recorder (SQLite, the embedded default) it simply holds every lease.
/// While the database is unreachable a recorder keeps recording what it has: duplicate footage is better than lost footage.
/// </summary>
public sealed partial class CameraLeaseCoordinator(
    CameraLeaseStore store,
    RecordingStateRepository state,
    RecorderIdentity identity,
    IOptions<LeaseOptions> options,
    IOptions<RecordingOptions> recording,
    TimeProvider clock,
    ILogger<CameraLeaseCoordinator> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _wakeGate = new();
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining = options.Value.Drained;
    private volatile int _share;

    public string RecorderId => identity.Id;

    public bool Draining => _draining;

    /// <summary>Renews and plans until the host stops; call once the spool is recovered.</summary>
    public async Task RunAsync(ILeasedCameras cameras, CancellationToken stoppingToken)
    {
        await Task.WhenAll(LoopAsync(_ => RenewAsync(stoppingToken), wakeable: false, stoppingToken),
            LoopAsync(_ => PlanAsync(cameras, stoppingToken), wakeable: true, stoppingToken));
    }

    /// <summary>Plans again now (a camera was started).</summary>
    public void Wake()
    {
        lock (_wakeGate)
        {
            _wake.TrySetResult();
        }
    }

    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.Duration;
        await store.HeartbeatAsync(new Recorder(identity.Id, identity.Url, _draining, _startedAt, expires), cancellationToken);
        var renewed = await store.RenewAsync(identity.Id, identity.Url, expires, cancellationToken);
        LeaseMetrics.Held.Set(renewed);
    }

    /// <summary>One round of <see cref="FairShare"/>: stop, give back, start and take cameras.</summary>
    public async Task<LeasePlan> PlanAsync(ILeasedCameras cameras, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            var wanted = await WantedAsync(cancellationToken);
            var leases = await store.LeasesAsync(cancellationToken);
            var recorders = await store.RecordersAsync(cancellationToken);
            var plan = FairShare.Plan(identity.Id, _draining, now, wanted, leases, recorders, cameras.Running);
            _share = plan.Share;
            LeaseMetrics.FairShare.Set(plan.Share);
            LeaseMetrics.Wanted.Set(wanted.Count);
            LeaseMetrics.LiveRecorders.Set(recorders.Count(r => r.IsLive(now)));
            LeaseMetrics.Draining.Set(_draining ? 1 : 0);

            // in parallel: a graceful stop takes seconds, and the renew loop keeps the leases meanwhile
            await Task.WhenAll(plan.Stop.Select(s => StopAsync(cameras, s.CameraId, s.Reason, cancellationToken)));
            foreach (var camera in plan.Start)
            {
                await cameras.StartRecorderAsync(camera);
            }

            var room = plan.Room;
            foreach (var camera in plan.Candidates)
            {
                if (room == 0)
                {
                    break;
                }

                now = clock.GetUtcNow();
                if (await store.TryAcquireAsync(camera, identity.Id, identity.Url, now, now + options.Value.Duration, cancellationToken))
                {
                    room--;
                    LeaseMetrics.Acquired.Inc();
                    LogAcquired(camera, identity.Id);
                    await cameras.StartRecorderAsync(camera);
                }
            }

            LeaseMetrics.Held.Set(cameras.Running.Count);
            return plan;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gives the camera's lease back once the caller has stopped recording it (an operator stopped the camera).</summary>
    public async Task ReleaseAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        if (await store.ReleaseAsync(cameraId, identity.Id, cancellationToken))
        {
            LeaseMetrics.Released.WithLabels("unwanted").Inc();
        }
    }

    /// <summary>Drains (or un-drains) this recorder: its cameras' segments are closed and their leases given back for the others to take.</summary>
    public async Task DrainAsync(ILeasedCameras cameras, bool draining, CancellationToken cancellationToken)
    {
        _draining = draining;
        LeaseMetrics.Draining.Set(draining ? 1 : 0);
        await RenewAsync(cancellationToken);
        await PlanAsync(cameras, cancellationToken);
    }

    /// <summary>On shutdown, after every recorder has stopped: the others may take the cameras at once instead of after the lease expires.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        var released = await store.ReleaseAllAsync(identity.Id, cancellationToken);
        LeaseMetrics.Released.WithLabels("shutdown").Inc(released);
        LeaseMetrics.Held.Set(0);
        await store.RemoveRecorderAsync(identity.Id, clock.GetUtcNow() - TimeSpan.FromDays(1), cancellationToken);
    }

    public async Task<RecorderStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var leases = await store.LeasesAsync(cancellationToken);
        var recorders = await store.RecordersAsync(cancellationToken);
        var items = recorders.Where(r => r.IsLive(now) || r.RecorderId == identity.Id)
            .Select(r => new RecorderStatusItem(r.RecorderId, r.RecorderUrl, r.Draining, r.IsLive(now), r.ExpiresAt,
                leases.Where(l => l.RecorderId == r.RecorderId && l.IsLive(now)).Select(l => l.CameraId).ToArray()))
            .ToArray();
        return new RecorderStatus(identity.Id, _draining, _share, options.Value.Duration.TotalSeconds, items);
    }

    private async Task StopAsync(ILeasedCameras cameras, Guid cameraId, LeaseRelease reason, CancellationToken cancellationToken)
    {
        await cameras.StopRecorderAsync(cameraId);
        if (reason != LeaseRelease.Lost)
        {
            await store.ReleaseAsync(cameraId, identity.Id, cancellationToken);
        }

        LeaseMetrics.Released.WithLabels(reason.ToString().ToLowerInvariant()).Inc();
        LogReleased(cameraId, identity.Id, reason);
    }

    private async Task<IReadOnlyList<Guid>> WantedAsync(CancellationToken cancellationToken)
    {
        var demo = recording.Value.DemoCamera;
        var wanted = await state.ShouldRecordAsync(cancellationToken);
        return demo.Enabled ? wanted : wanted.Where(c => c != demo.Id).ToArray();
    }

    private async Task LoopAsync(Func<CancellationToken, Task> round, bool wakeable, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Task wake;
            lock (_wakeGate)
            {
                if (wakeable && _wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wake = _wake.Task;
            }

            try
            {
                await round(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (!wakeable)
                {
                    LeaseMetrics.RenewFailures.Inc();
                }

                LogRoundFailed(wakeable ? "plan" : "renew", e.Message);
            }

            try
            {
                var delay = Task.Delay(options.Value.RenewInterval, clock, stoppingToken);
                await (wakeable ? Task.WhenAny(delay, wake) : delay);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorder {RecorderId} took the lease of camera {CameraId}")]
    private partial void LogAcquired(Guid cameraId, string recorderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorder {RecorderId} stopped camera {CameraId}: lease {Reason}")]
    private partial void LogReleased(Guid cameraId, string recorderId, LeaseRelease reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Round} failed, retried next round: {Error}")]
    private partial void LogRoundFailed(string round, string error);
}

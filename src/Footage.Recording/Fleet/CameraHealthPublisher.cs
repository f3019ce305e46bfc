using Footage.Recording.Cameras;
using Footage.Recording.Leases;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Fleet;

/// <summary>
/// Reports the health of the cameras this recorder runs to <c>camera_health</c>: a change (state, error, restart, stored
/// segment, clock step, streams) at once, and every camera it runs each <see cref="LeaseOptions.RenewInterval"/> (the bitrate,
/// and what a failed write left behind). A camera it stops is reported once more before its lease is given back, so the
/// row says STOPPED rather than what it was doing.
/// </summary>
public sealed partial class CameraHealthPublisher(
    CameraHealthStore store,
    StatusBoard statuses,
    RecorderIdentity identity,
    IOptions<LeaseOptions> options,
    TimeProvider clock,
    ILogger<CameraHealthPublisher> logger) : IDisposable
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _wakeGate = new();
    private readonly Dictionary<Guid, long> _reportedVersions = [];
    private readonly Dictionary<Guid, DateTimeOffset> _reportedSegmentEnds = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Reports until the host stops.</summary>
    public async Task RunAsync(ILeasedCameras cameras, CancellationToken stoppingToken)
    {
        statuses.Changed += Wake;
        try
        {
            var lastFull = long.MinValue;
            while (!stoppingToken.IsCancellationRequested)
            {
                Task wake;
                lock (_wakeGate)
                {
                    if (_wake.Task.IsCompleted)
                    {
                        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }

                    wake = _wake.Task;
                }

                var full = lastFull == long.MinValue || clock.GetElapsedTime(lastFull) >= options.Value.RenewInterval;
                try
                {
                    await ReportAsync(cameras.Running, full, stoppingToken);
                    if (full)
                    {
                        lastFull = clock.GetTimestamp();
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogReportFailed(e.Message);
                }

                try
                {
                    await Task.WhenAny(Task.Delay(options.Value.RenewInterval, clock, stoppingToken), wake);
                    await Task.Delay(Coalesce, clock, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        finally
        {
            statuses.Changed -= Wake;
        }
    }

    /// <summary>Reports one camera now (it was just stopped, and its lease is still held); a failure is only logged.</summary>
    public async Task ReportNowAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        try
        {
            await ReportAsync([cameraId], full: true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReportFailed(e.Message);
        }
    }

    private void Wake()
    {
        lock (_wakeGate)
        {
            _wake.TrySetResult();
        }
    }

    private async Task ReportAsync(IReadOnlyCollection<Guid> running, bool full, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var runningSet = running.ToHashSet();
            foreach (var status in statuses.All)
            {
                var id = status.CameraId;
                var version = status.Version;
                if (runningSet.Contains(id))
                {
                    if (full || !_reportedVersions.TryGetValue(id, out var reported) || reported != version)
                    {
                        await store.ReportAsync(CameraHealthReport.Of(status, identity.Id, clock.GetUtcNow()), cancellationToken);
                        _reportedVersions[id] = version;
                        if (status.LastSegmentEnd is { } reportedEnd)
                        {
                            _reportedSegmentEnds[id] = reportedEnd;
                        }
                    }

                    continue;
                }

                // a camera this recorder no longer runs: only footage it stored late (from its spool) is news
                if (status.LastSegmentEnd is { } end && (!_reportedSegmentEnds.TryGetValue(id, out var known) || known < end))
                {
                    await store.SegmentStoredAsync(id, end, cancellationToken);
                    _reportedSegmentEnds[id] = end;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera health not reported, retried next round: {Error}")]
    private partial void LogReportFailed(string error);
}

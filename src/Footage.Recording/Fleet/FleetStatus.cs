using Footage.Core.Cameras;
using Footage.Recording.Api;
using Footage.Recording.Cameras;
using Footage.Recording.Leases;
using Footage.Recording.Spool;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Fleet;

/// <summary>
/// The recording status of every camera as the fleet has it, the same from any recorder process: whether it should record
/// (<c>recording_state</c>), who holds it (<c>camera_leases</c>) and how it is doing (its holder's report in
/// <c>camera_health</c>; the holder itself answers from its memory, which that report copies). A camera nobody holds is
/// STOPPED, or WAITING_FOR_RECORDER when it should record (its holder died and its lease lapsed, or every recorder is
/// drained or full).
/// </summary>
public sealed class FleetStatus(
    RecordingStateRepository state,
    CameraLeaseStore leases,
    CameraHealthStore health,
    StatusBoard statuses,
    RecordingManager manager,
    RecorderIdentity identity,
    SpoolFolder spool,
    IOptions<RecordingOptions> options,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<CameraStatusResponse>> ListAsync(IReadOnlyList<Camera> cameras, CancellationToken cancellationToken)
    {
        var states = await state.AllAsync(cancellationToken);
        var held = (await leases.LeasesAsync(cancellationToken)).ToDictionary(l => l.CameraId);
        var reports = await health.AllAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return cameras.Select(c => Status(c, states.GetValueOrDefault(c.Id), held.GetValueOrDefault(c.Id), reports.GetValueOrDefault(c.Id), now)).ToArray();
    }

    public async Task<CameraStatusResponse> GetAsync(Camera camera, CancellationToken cancellationToken)
    {
        var states = await state.AllAsync(cancellationToken, camera.Id);
        var lease = await leases.LeaseAsync(camera.Id, cancellationToken);
        var report = await health.GetAsync(camera.Id, cancellationToken);
        return Status(camera, states.GetValueOrDefault(camera.Id), lease, report, clock.GetUtcNow());
    }

    private CameraStatusResponse Status(Camera camera, (bool ShouldRecord, DateTimeOffset UpdatedAt) asked, CameraLease? lease, CameraHealthReport? published, DateTimeOffset now)
    {
        var demo = options.Value.DemoCamera;
        var shouldRecord = asked.ShouldRecord && (demo.Enabled || camera.Id != demo.Id);
        var report = Resolve(camera.Id, shouldRecord, asked.UpdatedAt, lease, published, now);
        return CameraStatusResponse.From(camera, report, shouldRecord, spool.Bytes(camera.Id));
    }

    private CameraHealthReport Resolve(Guid id, bool shouldRecord, DateTimeOffset askedAt, CameraLease? lease, CameraHealthReport? published, DateTimeOffset now)
    {
        var local = statuses.TryGet(id, out var status) ? status : null;
        var lastSegmentEnd = Later(published?.LastSegmentEnd, local?.LastSegmentEnd);
        if (lease is not null && lease.IsLive(now))
        {
            if (lease.RecorderId == identity.Id && local is not null && manager.IsRecording(id))
            {
                return CameraHealthReport.Of(local, identity.Id, now) with { LastSegmentEnd = lastSegmentEnd };
            }

            return published is { ReportedAt: not null } && published.RecorderId == lease.RecorderId
                ? published with { LastSegmentEnd = lastSegmentEnd }
                // taken, not reported on yet
                : CameraHealthReport.Unheld(id, RecordingState.Starting, lease.AcquiredAt, lastSegmentEnd) with { RecorderId = lease.RecorderId };
        }

        // what its last run showed (the streams it sent, its restarts, its last error) stays readable once nobody holds it
        // (another recorder's report is newer than this process's memory of the camera: it wrote it while holding the camera later)
        var theirs = published is { RecorderId: { } reporter } && reporter != identity.Id;
        var last = local is not null && !theirs ? CameraHealthReport.Of(local, identity.Id, now) : published;
        if (!shouldRecord)
        {
            var since = published is { State: RecordingState.Stopped, Since: { } stoppedAt } ? stoppedAt : askedAt;
            return Unheld(id, RecordingState.Stopped, since, lastSegmentEnd, last);
        }

        var why = lease is null
            ? "no recorder holds it: every recorder is drained or has its fair share, or none is running"
            : $"no recorder holds it: recorder {lease.RecorderId} stopped renewing its lease, which lapsed at {lease.ExpiresAt:O}";
        return Unheld(id, RecordingState.WaitingForRecorder, lease?.ExpiresAt ?? askedAt, lastSegmentEnd, last) with { LastError = why };
    }

    private static CameraHealthReport Unheld(Guid id, RecordingState state, DateTimeOffset? since, DateTimeOffset? lastSegmentEnd, CameraHealthReport? last) =>
        last is null
            ? CameraHealthReport.Unheld(id, state, since, lastSegmentEnd)
            : last with { RecorderId = null, State = state, Since = since, LastSegmentEnd = lastSegmentEnd, BitrateBps = 0 };

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}

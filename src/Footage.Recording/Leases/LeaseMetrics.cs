using Prometheus;

namespace Footage.Recording.Leases;

/// <summary>Prometheus metrics of the camera leases of this recorder.</summary>
public static class LeaseMetrics
{
    public static readonly Gauge Held = Metrics.CreateGauge(
        "footage_recording_leases_held", "Camera leases this recorder holds (the cameras it records).");

    public static readonly Gauge Wanted = Metrics.CreateGauge(
        "footage_recording_cameras_wanted", "Cameras that should record (recording_state), as this recorder last read them; all recorders share them.");

    public static readonly Gauge FairShare = Metrics.CreateGauge(
        "footage_recording_lease_fair_share", "Most cameras this recorder takes: ceil(cameras that should record / recorders sharing them).");

    public static readonly Gauge LiveRecorders = Metrics.CreateGauge(
        "footage_recording_recorders_live", "Recorders whose heartbeat has not expired, draining ones included.");

    public static readonly Gauge Draining = Metrics.CreateGauge(
        "footage_recording_draining", "1 while this recorder is drained for maintenance (it holds no camera).");

    public static readonly Counter Acquired = Metrics.CreateCounter(
        "footage_recording_leases_acquired_total", "Camera leases this recorder took (a new camera, or one a dead or drained recorder left).");

    public static readonly Counter Released = Metrics.CreateCounter(
        "footage_recording_leases_released_total", "Camera leases this recorder stopped holding, by reason (lost, unwanted, drained, rebalanced, shutdown).", "reason");

    public static readonly Counter RenewFailures = Metrics.CreateCounter(
        "footage_recording_lease_renew_failures_total", "Failed attempts to renew the leases (the database was unreachable); recording goes on meanwhile.");
}

using Prometheus;

namespace Footage.Storage.Backends;

/// <summary>Prometheus metrics of the Storage module.</summary>
public static class StorageMetrics
{
    public static readonly Counter BackendRequests = Metrics.CreateCounter(
        "footage_storage_backend_requests_total", "Requests to storage backends.", "backend", "operation", "outcome");

    public static readonly Counter BackendBytes = Metrics.CreateCounter(
        "footage_storage_backend_bytes_total", "Bytes written to and read from storage backends.", "backend", "direction");

    public static readonly Histogram BackendLatency = Metrics.CreateHistogram(
        "footage_storage_backend_request_duration_seconds", "Latency of storage backend requests.",
        new HistogramConfiguration { LabelNames = ["backend", "operation"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });

    public static readonly Counter SegmentRegistrations = Metrics.CreateCounter(
        "footage_segments_registered_total", "Segment registrations by outcome (created, already_registered, conflict).", "outcome");

    public static readonly Counter SegmentsDeleted = Metrics.CreateCounter(
        "footage_retention_deletions_total", "Segments, exports and thumbnails removed, by reason (age, size, free_space, api, expired).", "kind", "reason");

    public static readonly Gauge DeletionQueueLength = Metrics.CreateGauge(
        "footage_deletion_queue_pending", "Objects waiting to be deleted from a backend.");

    public static readonly Counter DeletionFailures = Metrics.CreateCounter(
        "footage_deletion_failures_total", "Failed attempts at deleting an object (retried later).", "backend");

    public static readonly Histogram ExportDuration = Metrics.CreateHistogram(
        "footage_export_duration_seconds", "Time from an export starting to finishing.",
        new HistogramConfiguration { LabelNames = ["status"], Buckets = Histogram.ExponentialBuckets(0.5, 2, 14) });

    public static readonly Counter Exports = Metrics.CreateCounter(
        "footage_exports_total", "Exports finished, by status.", "status");

    public static readonly Counter Clips = Metrics.CreateCounter(
        "footage_clips_total", "Incident clips finished, by status.", "status");

    public static readonly Counter RetentionRuns = Metrics.CreateCounter(
        "footage_retention_runs_total", "Retention job runs, by outcome.", "outcome");

    public static readonly Counter Quarantined = Metrics.CreateCounter(
        "footage_segments_quarantined_total", "Recordings kept aside under a quarantine key because other footage is already stored or catalogued at their camera and start.");

    public static readonly Gauge QuarantinedPending = Metrics.CreateGauge(
        "footage_segments_quarantined", "Quarantined recordings waiting for an admin to look at them (updated by the integrity scrub).");

    public static readonly Counter HeldCopies = Metrics.CreateCounter(
        "footage_held_copies_total", "Held segments moved to their copy in cctv-clips (moved), store holds lifted (released), attempts that failed (failed).", "outcome");

    public static readonly Gauge IntegrityFindings = Metrics.CreateGauge(
        "footage_integrity_findings", "Open findings of the integrity scrub, by kind (hash_mismatch, size_mismatch, missing_object, orphan_object).", "kind");

    public static readonly Counter ScrubObjects = Metrics.CreateCounter(
        "footage_integrity_scrub_objects_total", "Objects the integrity scrub re-read, by result (ok, hash_mismatch, size_mismatch, missing_object).", "result");

    public static readonly Counter ScrubBytes = Metrics.CreateCounter(
        "footage_integrity_scrub_bytes_total", "Bytes the integrity scrub re-read and hashed.");

    public static readonly Gauge ScrubLastPass = Metrics.CreateGauge(
        "footage_integrity_scrub_last_pass_timestamp_seconds", "When the integrity scrub last finished a pass over every segment (Unix time).");

    public static readonly Gauge ReconcileLast = Metrics.CreateGauge(
        "footage_integrity_reconcile_last_timestamp_seconds", "When the integrity scrub last compared every bucket listing with the catalog (Unix time).");

    /// <summary>Publishes every family at start (with zeros for the known outcomes) so that dashboards and alerts see them before the first event.</summary>
    public static void Initialize()
    {
        foreach (var outcome in new[] { "created", "already_registered", "conflict" })
        {
            SegmentRegistrations.WithLabels(outcome);
        }

        foreach (var status in new[] { "completed", "failed" })
        {
            Exports.WithLabels(status);
            Clips.WithLabels(status);
        }

        foreach (var outcome in new[] { "ok", "error" })
        {
            RetentionRuns.WithLabels(outcome);
        }

        foreach (var outcome in new[] { "moved", "released", "failed" })
        {
            HeldCopies.WithLabels(outcome);
        }

        foreach (var kind in Integrity.FindingKinds.All)
        {
            IntegrityFindings.WithLabels(kind);
        }

        foreach (var result in new[] { "ok", Integrity.FindingKinds.HashMismatch, Integrity.FindingKinds.SizeMismatch, Integrity.FindingKinds.MissingObject })
        {
            ScrubObjects.WithLabels(result);
        }

        DeletionQueueLength.Set(0);
    }
}

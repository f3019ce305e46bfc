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

        DeletionQueueLength.Set(0);
    }
}

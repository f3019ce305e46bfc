using Prometheus;

namespace Footage.Recording;

/// <summary>Prometheus metrics of the recorder, per camera where it matters.</summary>
public static class RecordingMetrics
{
    public static readonly Gauge CameraState = Metrics.CreateGauge(
        "footage_recording_camera_recording", "1 while the camera's ffmpeg delivers footage, 0 otherwise.", "camera_id");

    public static readonly Counter Restarts = Metrics.CreateCounter(
        "footage_recording_restarts_total", "ffmpeg restarts after a failure or a stall.", "camera_id");

    public static readonly Counter BytesRecorded = Metrics.CreateCounter(
        "footage_recording_bytes_total", "Bytes ffmpeg wrote into the spool.", "camera_id");

    public static readonly Counter Segments = Metrics.CreateCounter(
        "footage_recording_segments_total", "Spooled segments by outcome (stored, rejected).", "camera_id", "outcome");

    public static readonly Counter UploadFailures = Metrics.CreateCounter(
        "footage_recording_upload_failures_total", "Failed attempts to upload or register a segment (retried).");

    public static readonly Gauge SpoolBytes = Metrics.CreateGauge(
        "footage_recording_spool_bytes", "Bytes of footage waiting in the spool.");

    public static readonly Gauge SpoolFreeBytes = Metrics.CreateGauge(
        "footage_recording_spool_free_bytes", "Free bytes on the spool disk.");

    public static readonly Gauge DiskAlarm = Metrics.CreateGauge(
        "footage_recording_spool_disk_low", "1 when the spool disk has less free space than Footage:Recording:MinFreeSpoolBytes.");

    public static readonly Counter Thumbnails = Metrics.CreateCounter(
        "footage_recording_thumbnails_total",
        "Thumbnails by when they were made: while_recording (from the file being written), at_close (by the uploader), failed (no picture or not stored).",
        "made");

    public static readonly Counter ClockJumps = Metrics.CreateCounter(
        "footage_recording_clock_jumps_total", "Steps of the wall clock against the monotonic clock (direction forward or backward).", "direction");

    public static readonly Histogram SegmentToCatalogSeconds = Metrics.CreateHistogram(
        "footage_recording_segment_to_catalog_seconds", "From a segment's end to its registration in the catalog.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.05, 2, 14) });
}

namespace Footage.Bench.Capacity;

/// <summary>Pure arithmetic: from the measured figures and the assumptions, what 500 (or N) cameras need and which limit comes first.</summary>
public sealed record CapacityModel(MeasuredFigures Measured, Assumptions Ask)
{
    private const double Mega = 1_000_000;

    public double BytesPerSecondPerCamera => Ask.BitrateMbps * Mega / 8;

    /// <summary>
    /// Scaled with the bitrate from the measured one: the per-byte work (ffmpeg's copy, the scan and hash, the upload)
    /// dominates; the measurement's short segments overstate the per-segment work, so this errs on the safe side.
    /// </summary>
    public double CpuPercentPerCamera => Measured.CpuPercentPerCamera.Value * Ask.BitrateMbps / Measured.RecordedBitrateMbps.Value;

    public double MemoryMbPerCamera => Measured.FfmpegMbPerCamera.Value + Measured.ServerOwnMbPerCamera.Value;

    public double CamerasPerHostByCpu => Ask.HostCores * 100 * Ask.TargetUtilisation / CpuPercentPerCamera;

    public double CamerasPerHostByMemory => (Ask.HostMemoryGb * 1024 * Ask.TargetUtilisation - Measured.ServerIdleMb.Value) / MemoryMbPerCamera;

    /// <summary>Every byte comes in from the camera and goes out to the object store.</summary>
    public double CamerasPerHostByNetwork => Ask.HostNicGbps * 1000 * Ask.TargetUtilisation / (2 * Ask.BitrateMbps);

    public double CamerasPerHost => Math.Floor(Math.Min(CamerasPerHostByCpu, Math.Min(CamerasPerHostByMemory, CamerasPerHostByNetwork)));

    public string HostLimit =>
        CamerasPerHost == Math.Floor(CamerasPerHostByCpu) ? "CPU" : CamerasPerHost == Math.Floor(CamerasPerHostByMemory) ? "memory" : "network";

    public int Recorders => (int)Math.Ceiling(Ask.Cameras / CamerasPerHost);

    /// <summary>One more, so that the others absorb a dead or drained recorder's cameras within their fair share.</summary>
    public int RecordersWithSpare => Recorders + 1;

    public double CamerasPerRecorder => Math.Ceiling((double)Ask.Cameras / RecordersWithSpare);

    public double SpoolBytesPerRecorder => 2 * Ask.SegmentSeconds * BytesPerSecondPerCamera * Math.Ceiling((double)Ask.Cameras / Recorders);

    public double SegmentsPerDay => Ask.Cameras * 86_400.0 / Ask.SegmentSeconds;

    public double SegmentRows => SegmentsPerDay * Ask.RetentionDays;

    public double KeyframeBytesPerRow => Measured.KeyframeIndexBytesPerRow.Value * (Ask.SegmentSeconds / Ask.KeyframeSeconds) / Measured.KeyframeIndexEntries.Value;

    public double CatalogBytesPerRow => Measured.HeapAndIndexBytesPerRow.Value + KeyframeBytesPerRow;

    public double CatalogBytes => SegmentRows * CatalogBytesPerRow;

    public double ThumbnailsPerDay => Ask.Cameras * 86_400.0 / Ask.ThumbnailSeconds;

    public double ThumbnailRows => ThumbnailsPerDay * Ask.ThumbnailDays;

    public double ThumbnailBytes => ThumbnailRows * Ask.ThumbnailKb * 1000;

    public double Objects => SegmentRows + ThumbnailRows;

    public double ObjectWritesPerSecond => (SegmentsPerDay + ThumbnailsPerDay) / 86_400;

    public double FootageBytesPerDay => Ask.Cameras * BytesPerSecondPerCamera * 86_400;

    public double FootageBytesKept => FootageBytesPerDay * Ask.RetentionDays;

    public double IngestGbps => Ask.Cameras * Ask.BitrateMbps / 1000;

    public double RegistrationsPerSecond => Ask.Cameras / (double)Ask.SegmentSeconds;

    /// <summary>Worst case: every camera closes its segment in the same second (all recorders restarted together).</summary>
    public double BoundaryBurstSeconds => Ask.Cameras / Measured.RegistrationsPerSecondEightClients.Value;

    /// <summary>Cameras one Storage API client can register for, at one segment per camera per segment length.</summary>
    public double CamerasByRegistration => Measured.RegistrationsPerSecondOneClient.Value * Ask.SegmentSeconds;

    /// <summary>Each recorder, each round: a heartbeat and a renewal (writes), then three reads of at most one row per camera.</summary>
    public double LeaseStatementsPerSecond => RecordersWithSpare * 5 / Ask.LeaseRenewSeconds;

    /// <summary>Each holder writes a <c>camera_health</c> row per camera it holds once a round (and on each change, which is rare).</summary>
    public double HealthReportsPerSecond => Ask.Cameras / Ask.LeaseRenewSeconds;

    public double LeaseRowsReadPerSecond => RecordersWithSpare * (2 * Ask.Cameras + RecordersWithSpare) / Ask.LeaseRenewSeconds;
}

using System.ComponentModel.DataAnnotations;

namespace Footage.Storage;

/// <summary><c>Footage:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Footage:Storage";

    /// <summary>The backend new footage goes to: <c>filesystem</c> or <c>s3</c>.</summary>
    [Required]
    public string DefaultBackend { get; set; } = "filesystem";

    /// <summary>Storage mode of cameras that do not set their own: LOCAL, MILESTONE or BOTH.</summary>
    [Required]
    public string DefaultMode { get; set; } = "LOCAL";

    public FilesystemBackendOptions Filesystem { get; set; } = new();

    public S3BackendOptions S3 { get; set; } = new();

    public RetentionOptions Retention { get; set; } = new();

    public ExportOptions Exports { get; set; } = new();

    public ClipOptions Clips { get; set; } = new();

    public HoldOptions Holds { get; set; } = new();

    public ScrubOptions Scrub { get; set; } = new();
}

public sealed class FilesystemBackendOptions
{
    /// <summary>Set false to run without the filesystem backend (S3 only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder holding one sub-folder per bucket; empty means <c>storage</c> in the data folder.</summary>
    public string? Root { get; set; }
}

public sealed class S3BackendOptions
{
    /// <summary>The S3 endpoint (MinIO, AWS, any S3 API); the backend is enabled when this is set.</summary>
    public string? ServiceUrl { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>), as MinIO expects.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Create the four buckets at start when they are missing.</summary>
    public bool CreateBuckets { get; set; } = true;

    /// <summary>Objects larger than this are uploaded in parts.</summary>
    [Range(5 * 1024 * 1024, long.MaxValue)]
    public long MultipartThresholdBytes { get; set; } = 64L * 1024 * 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(ServiceUrl);
}

public sealed class RetentionOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How often the retention job runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 36500)]
    public int RecordingsDays { get; set; } = 90;

    [Range(1, 36500)]
    public int ExportsDays { get; set; } = 7;

    [Range(1, 36500)]
    public int ThumbnailsDays { get; set; } = 30;

    /// <summary>Per backend name: a size limit for recordings and a free-space floor (filesystem).</summary>
    public Dictionary<string, BackendLimits> Backends { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Attempts at deleting an object before the queue entry is only retried once a day.</summary>
    [Range(1, 1000)]
    public int MaxDeleteAttempts { get; set; } = 10;
}

public sealed class BackendLimits
{
    /// <summary>Recordings in this backend may take at most this many bytes; the oldest go first.</summary>
    public long? MaxBytes { get; set; }

    /// <summary>When the disk under the backend has less free space than this, the oldest recordings go.</summary>
    public long? MinFreeBytes { get; set; }
}

public sealed class ExportOptions
{
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Longest range one export may cover.</summary>
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromHours(24);

    [Range(1, 64)]
    public int MaxCameras { get; set; } = 16;

    /// <summary>How long a signed download link stays valid (never past the export's own expiry).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A PROCESSING export whose worker stopped beating for this long is taken up again.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class ClipOptions
{
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Longest range one clip may cover: the incident's range and the margin on both sides.</summary>
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The largest margin an operator may add before and after the incident's range.</summary>
    [Range(0, 86_400)]
    public int MaxMarginSeconds { get; set; } = 3600;

    /// <summary>How long a signed download link stays valid.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A PROCESSING clip whose worker stopped beating for this long is taken up again.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class HoldOptions
{
    /// <summary>How often the hold keeper looks for held footage to copy and for ended holds to lift (it also runs at once when holds change here).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class ScrubOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How fast the scrub re-reads stored objects (bytes per second, all backends together).</summary>
    [Range(1, long.MaxValue)]
    public long BytesPerSecond { get; set; } = 16L * 1024 * 1024;

    /// <summary>A new pass over every segment starts this long after the previous one started (or when it ends, if later).</summary>
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often every bucket is listed and compared with the catalog (objects without rows, rows without objects).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>An object younger than this is not called an orphan yet: the recorder registers a segment after uploading it.</summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromHours(1);
}

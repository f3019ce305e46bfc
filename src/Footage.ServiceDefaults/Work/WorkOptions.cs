using System.ComponentModel.DataAnnotations;

namespace Footage.ServiceDefaults.Work;

/// <summary>
/// <c>Footage:Work</c>: the bounds on work a request starts that costs far more than answering it (an ffmpeg process, a
/// copy of footage to local disk): downloads, lower-rendition chunks, the queue of exports. Above a bound the request is
/// refused with 429 and <c>Retry-After</c>, never queued in memory.
/// </summary>
public sealed class WorkOptions
{
    public const string Section = "Footage:Work";

    /// <summary>Jobs this process runs at once, for all callers (downloads, lower-rendition chunks).</summary>
    [Range(1, 1024)]
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>Jobs one caller (an API key, a token's user; for signed links the client address) runs at once.</summary>
    [Range(1, 1024)]
    public int MaxPerCaller { get; set; } = 2;

    /// <summary>Exports one caller may have waiting or being made.</summary>
    [Range(1, 1024)]
    public int MaxQueuedExportsPerCaller { get; set; } = 4;

    /// <summary>The <c>Retry-After</c> of a refusal.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The scratch folder (footage copied for a download or an export, their ffmpeg lists); empty means <c>scratch</c> in
    /// the data folder. Give it a disk of its own in production: it can then never take the spool's space.
    /// </summary>
    public string? ScratchDirectory { get; set; }

    /// <summary>Bytes all jobs' scratch may hold at once; a job reserves what it will copy before it starts.</summary>
    [Range(1L << 20, long.MaxValue)]
    public long ScratchQuotaBytes { get; set; } = 20L << 30;

    /// <summary>
    /// Free space left on the scratch folder's disk after a reservation; a job that would leave less is refused. Above the
    /// recorder's spool alarm (<c>Footage:Recording:MinFreeSpoolBytes</c>, 1 GiB) so that scratch on the spool's disk
    /// never takes what the recorder needs.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long ScratchMinFreeBytes { get; set; } = 4L << 30;
}

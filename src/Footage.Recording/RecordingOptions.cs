using System.ComponentModel.DataAnnotations;

namespace Footage.Recording;

/// <summary><c>Footage:Recording</c>.</summary>
public sealed class RecordingOptions
{
    public const string Section = "Footage:Recording";

    /// <summary>Set false for a host that serves the other modules without recording.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Length of a segment (the muxer cuts at the first key frame after it); the spec's default is one hour.</summary>
    [Range(1, 86_400)]
    public int SegmentSeconds { get; set; } = 3600;

    /// <summary>Spool folder; empty means <c>spool</c> in the data folder.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>No new bytes for this long means the camera is gone: ffmpeg is stopped and restarted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a fresh ffmpeg may take to deliver its first bytes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan RestartBackoffMin { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan RestartBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A recorder looks at its ffmpeg's output at each progress report (four per StallTimeout, at most every 2 s) and, when none comes, after this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.05", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A change of the wall clock against the monotonic clock at least this large is reported as a clock jump.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan ClockJumpThreshold { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan UploadBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A JPEG thumbnail every this much footage (spec: 5 minutes); zero turns them off.</summary>
    [Range(0, 86_400)]
    public int ThumbnailSeconds { get; set; } = 300;

    /// <summary>
    /// Decode thumbnails' key frames in the long-lived, confined key-frame decoder process (a few ms each) rather than by
    /// running an ffmpeg process for each (50 to 100 ms of CPU each, most of it ffmpeg's start).
    /// </summary>
    public bool ThumbnailDecoderProcess { get; set; } = true;

    /// <summary>
    /// ffmpeg writes every packet to the spool file as it muxes it (a write call per packet, about a tenth more ffmpeg
    /// CPU). Off, the default, ffmpeg writes 256 KB at a time (about 1 s at 2 Mbit/s): a stop, a stall or the ffmpeg left
    /// behind by a killed recorder still writes what it holds (they end ffmpeg with 'q' or SIGTERM), only an ffmpeg that
    /// crashes or is SIGKILLed from outside loses up to that much, and the live edge of a camera trails by as much.
    /// The demo camera (400 kbit/s, where 256 KB would be 5 s) always writes every packet.
    /// </summary>
    public bool FlushEveryPacket { get; set; }

    /// <summary>
    /// What records each camera: <c>ffmpeg</c> (the default, the spec's command) or <c>remuxer</c> (<c>footage-recorder</c>,
    /// built with the server: the same files and reports from libavformat alone, for a fraction of ffmpeg's memory).
    /// </summary>
    public Processes.RecordingEngine Engine { get; set; } = Processes.RecordingEngine.Ffmpeg;

    /// <summary><c>footage-recorder</c> for the remuxer engine; empty: beside the server's assemblies, where the build puts it.</summary>
    public string? RemuxerPath { get; set; }

    /// <summary>Below this much free space on the spool disk the disk alarm is raised.</summary>
    [Range(0, long.MaxValue)]
    public long MinFreeSpoolBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Streams allowed per camera source at once (source name to limit); "*" applies to the others. Empty: no limit.</summary>
    public Dictionary<string, int> MaxStreamsPerSource { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public DemoCameraOptions DemoCamera { get; set; } = new();
}

public sealed class DemoCameraOptions
{
    /// <summary>A camera made by ffmpeg's own test source, so the embedded default records without a real camera.</summary>
    public bool Enabled { get; set; } = true;

    public Guid Id { get; set; } = new("00000000-0000-4000-8000-00000000d0d0");

    public string Name { get; set; } = "Demo camera";

    /// <summary>Font for the wall-clock overlay; empty picks a common system font, none found means no overlay.</summary>
    public string? FontFile { get; set; }
}

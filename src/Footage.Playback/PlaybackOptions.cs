using System.ComponentModel.DataAnnotations;

namespace Footage.Playback;

/// <summary><c>Footage:Playback</c>.</summary>
public sealed class PlaybackOptions
{
    public const string Section = "Footage:Playback";

    /// <summary>Target chunk length: stored segments are cut at the key frames nearest to it (the spec's hls_time).</summary>
    [Range(1, 60)]
    public int HlsTimeSeconds { get; set; } = 10;

    /// <summary>Chunk length of live (EVENT) playlists when the request names none: short, so the edge is seconds behind the camera.</summary>
    [Range(1, 60)]
    public int LiveHlsTimeSeconds { get; set; } = 2;

    /// <summary>How much a live playlist lists: a sliding window of the last this much (at least three chunks).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan LiveWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Low-latency HLS: the longest partial segment of a live playlist (whole pictures of the chunk being written, read from the
    /// recorder's spool), and blocking reloads; a player holds back three of them. 0 turns partial segments off.
    /// </summary>
    [Range(0, 5000)]
    public int LivePartMilliseconds { get; set; } = 333;

    /// <summary>Longest range one playlist may cover.</summary>
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Most chunks one range playlist may list (about 50 bytes each in a shared link's playlist, 75 in one asked with a key:
    /// 10,080 make 500 to 750 KB). A request whose range divided by
    /// its hls_time exceeds it is refused naming hls_time, and so is a range whose footage is cut into more pieces than
    /// that (many short files, many gaps) naming the range. The default allows 7 days at hls_time 60 and 28 hours at 10.
    /// </summary>
    [Range(100, 1_000_000)]
    public int MaxPlaylistChunks { get; set; } = 10_080;

    /// <summary>How long a built playlist is served from the cache (the spec: 5 minutes).</summary>
    public TimeSpan PlaylistCacheFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a media chunk is served from the cache (the spec: 1 hour).</summary>
    public TimeSpan ChunkCacheFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Chunks larger than this are streamed from the backend, not cached.</summary>
    [Range(0, 256L * 1024 * 1024)]
    public long MaxCachedChunkBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Memory given to the in-process cache (when no Valkey is configured).</summary>
    [Range(0, long.MaxValue)]
    public long MemoryCacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Validity of the signed media links in a playlist.</summary>
    public TimeSpan MediaLinkLifetime { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Longest lifetime of a playlist link a viewer makes (<c>POST /api/v1/playback/{camera_id}/links</c>).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "366.00:00:00")]
    public TimeSpan MaxLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Longest range of one direct MP4 download (longer ones are exports).</summary>
    public TimeSpan MaxDownloadRange { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Valkey/Redis connection (StackExchange.Redis syntax, e.g. <c>valkey:6379</c>); empty means the in-process cache.</summary>
    public string? Redis { get; set; }
}

namespace Footage.Playback.Playlists;

/// <summary>
/// What a media playlist says about itself: where its numbering starts, the longest chunk, <c>VOD</c>, <c>EVENT</c> or a
/// sliding live window (null), whether it is over, where a player should start, and low-latency settings.
/// </summary>
public sealed record PlaylistHead(long MediaSequence, long DiscontinuitySequence, int TargetDuration, string? PlaylistType, bool Ended)
{
    /// <summary>Where <c>from</c> lies inside the first chunk, when it is not at its start.</summary>
    public TimeSpan StartOffset { get; init; }

    /// <summary>A line for people reading the playlist (who shared it, until when); players skip comments.</summary>
    public string? Comment { get; init; }

    /// <summary>Partial segments are listed (LL-HLS): their longest duration.</summary>
    public TimeSpan? PartTarget { get; init; }
}

namespace Footage.Playback.Playlists;

/// <summary>
/// One media segment as a playlist lists it: a byte range of the file <see cref="Name"/>, its wall-clock start and duration,
/// and whether timestamps restart before it (a new file, a gap). <see cref="Parts"/> are its partial segments, listed near the
/// live edge of a low-latency playlist.
/// </summary>
public sealed record PlaylistEntry(MediaName Name, long Offset, long Length, DateTimeOffset Start, TimeSpan Duration, bool Discontinuity)
{
    public IReadOnlyList<PartialSegment> Parts { get; init; } = [];

    /// <summary>Where the next partial segment of a chunk being written will start (an EXT-X-PRELOAD-HINT), when it is.</summary>
    public long? NextPartOffset { get; init; }

    /// <summary>The media token of its link (<see cref="Media.MediaTokens"/>): the one of the window it was first listed in.</summary>
    public string Token { get; init; } = string.Empty;

    public DateTimeOffset End => Start + Duration;
}

/// <summary>A partial segment (LL-HLS): a byte range of the same file, whole pictures only.</summary>
public sealed record PartialSegment(long Offset, long Length, TimeSpan Duration, bool Independent);

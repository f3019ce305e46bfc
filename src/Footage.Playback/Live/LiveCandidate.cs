using Footage.Playback.Playlists;

namespace Footage.Playback.Live;

/// <summary>
/// A chunk that the footage now available would give (catalogued or still at the recorder): its file (name, start, whether the
/// file is still being written), its key frame's time from the file's start, byte range and duration, and its partial segments
/// when the pictures inside it are known.
/// </summary>
public sealed record LiveCandidate(MediaName Name, long FileStartMs, long KeyMs, long Offset, long Length, long DurationMs, IReadOnlyList<PartialSegment>? Parts)
{
    public long StartMs => FileStartMs + KeyMs;

    public long EndMs => StartMs + DurationMs;
}

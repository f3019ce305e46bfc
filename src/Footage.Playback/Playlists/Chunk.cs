namespace Footage.Playback.Playlists;

/// <summary>
/// One HLS media segment: a byte range of a stored segment object, from one key frame to the next
/// (or to the end), with its wall-clock start. <see cref="NewFile"/> marks the first chunk of a stored file,
/// where timestamps restart, so the playlist marks a discontinuity there.
/// </summary>
public sealed record Chunk(Guid SegmentId, long Offset, long Length, DateTimeOffset Start, TimeSpan Duration, bool NewFile, bool AfterGap)
{
    public DateTimeOffset End => Start + Duration;
}

using Footage.Playback.Playlists;

namespace Footage.Playback.Live;

/// <summary>
/// A chunk as a live playlist first listed it, kept unchanged for as long as it is listed: its file's name and start (as
/// first seen: the recorder may later tighten the start of a run's first file by milliseconds), its byte range, its start and
/// duration in Unix milliseconds, whether timestamps restart before it, its partial segments, and the media token its link
/// carries (signed for the window in which it was first listed, valid for as long as a player may hold it).
/// </summary>
public sealed record JournalEntry(
    string Token, string Name, long FileStartMs, long Offset, long Length, long StartMs, long DurationMs, bool Discontinuity, IReadOnlyList<PartialSegment>? Parts = null)
{
    public long EndMs => StartMs + DurationMs;

    public PlaylistEntry ToPlaylistEntry() =>
        new(MediaName.TryParse(Name, out var name) ? name : default, Offset, Length, DateTimeOffset.FromUnixTimeMilliseconds(StartMs),
            TimeSpan.FromMilliseconds(DurationMs), Discontinuity)
        { Parts = Parts ?? [], Token = Token };
}

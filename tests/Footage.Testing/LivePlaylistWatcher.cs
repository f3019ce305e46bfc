using System.Globalization;

namespace Footage.Testing;

/// <summary>
/// Reads a live HLS playlist again and again, as a player does, and holds the server to what a player relies on (RFC 8216 and
/// what hls.js checks): a media sequence number, once seen, always names the same chunk (URI with its query, byte range,
/// duration, wall-clock start and discontinuity number); the media sequence and discontinuity sequence never go back.
/// </summary>
public sealed class LivePlaylistWatcher
{
    private readonly Dictionary<long, Chunk> _seen = [];
    private readonly List<string> _violations = [];
    private long _lastSequence = -1;
    private long _lastDiscontinuity = -1;

    /// <summary>One chunk as a playlist lists it; <see cref="Start"/> from its EXT-X-PROGRAM-DATE-TIME or counted from the one before.</summary>
    public sealed record Chunk(long Sequence, string Uri, long Offset, long Length, string Duration, DateTimeOffset? Start, long Discontinuity);

    public IReadOnlyList<string> Violations => _violations;

    public int Refreshes { get; private set; }

    public IReadOnlyDictionary<long, Chunk> Seen => _seen;

    /// <summary>Checks one refresh against every earlier one; returns its chunks.</summary>
    public IReadOnlyList<Chunk> Observe(string playlist)
    {
        Refreshes++;
        var chunks = Parse(playlist, out var sequence, out var discontinuity);
        if (sequence < _lastSequence)
        {
            _violations.Add($"refresh {Refreshes}: EXT-X-MEDIA-SEQUENCE went back from {_lastSequence} to {sequence}");
        }

        if (discontinuity < _lastDiscontinuity)
        {
            _violations.Add($"refresh {Refreshes}: EXT-X-DISCONTINUITY-SEQUENCE went back from {_lastDiscontinuity} to {discontinuity}");
        }

        (_lastSequence, _lastDiscontinuity) = (sequence, discontinuity);
        foreach (var chunk in chunks)
        {
            if (!_seen.TryGetValue(chunk.Sequence, out var before))
            {
                _seen[chunk.Sequence] = chunk;
            }
            else if (before != chunk)
            {
                _violations.Add($"refresh {Refreshes}: chunk {chunk.Sequence} was {before} and became {chunk}");
            }
        }

        return chunks;
    }

    public static IReadOnlyList<Chunk> Parse(string playlist, out long mediaSequence, out long discontinuitySequence)
    {
        mediaSequence = 0;
        discontinuitySequence = 0;
        var chunks = new List<Chunk>();
        DateTimeOffset? start = null;
        DateTimeOffset? nextStart = null;
        string duration = string.Empty;
        long offset = 0, length = 0;
        string? previousUri = null;
        long previousEnd = 0;
        var discontinuity = 0L;
        var pendingDiscontinuity = false;
        foreach (var line in playlist.Split('\n'))
        {
            if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))
            {
                mediaSequence = long.Parse(line["#EXT-X-MEDIA-SEQUENCE:".Length..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-DISCONTINUITY-SEQUENCE:", StringComparison.Ordinal))
            {
                discontinuitySequence = long.Parse(line["#EXT-X-DISCONTINUITY-SEQUENCE:".Length..], CultureInfo.InvariantCulture);
                discontinuity = discontinuitySequence;
            }
            else if (line == "#EXT-X-DISCONTINUITY")
            {
                pendingDiscontinuity = true;
            }
            else if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            {
                start = DateTimeOffset.Parse(line["#EXT-X-PROGRAM-DATE-TIME:".Length..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                duration = line["#EXTINF:".Length..].TrimEnd(',');
            }
            else if (line.StartsWith("#EXT-X-BYTERANGE:", StringComparison.Ordinal))
            {
                var parts = line["#EXT-X-BYTERANGE:".Length..].Split('@');
                length = long.Parse(parts[0], CultureInfo.InvariantCulture);
                offset = parts.Length > 1 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : -1;
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                if (pendingDiscontinuity)
                {
                    discontinuity++;
                    pendingDiscontinuity = false;
                }

                if (offset < 0)
                {
                    offset = line == previousUri ? previousEnd : 0;
                }

                var chunkStart = start ?? nextStart;
                chunks.Add(new Chunk(mediaSequence + chunks.Count, line, offset, length, duration, chunkStart, discontinuity));
                nextStart = chunkStart?.AddSeconds(double.Parse(duration, CultureInfo.InvariantCulture));
                (previousUri, previousEnd) = (line, offset + length);
                (start, offset, length) = (null, 0, 0);
            }
        }

        return chunks;
    }
}

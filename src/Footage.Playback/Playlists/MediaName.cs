using Footage.Core.Segments;

namespace Footage.Playback.Playlists;

/// <summary>
/// The short, stable name of a recorded file in playlist links: its start in Unix milliseconds, base 36 (8 characters), with
/// <c>-ms</c> for Milestone's footage (which may start at the same moment as ours). It is the same whether the file is still
/// in the recorder's spool or catalogued, so a chunk keeps its link when the file moves; the media endpoint finds the file that
/// starts nearest to it (within <see cref="Tolerance"/>: the recorder may still tighten a run's first times by milliseconds).
/// </summary>
public readonly record struct MediaName(long StartMilliseconds, bool Milestone)
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const string MilestoneSuffix = "-ms";

    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeMilliseconds(StartMilliseconds);

    public static MediaName Of(DateTimeOffset start, string backend) =>
        new(start.ToUnixTimeMilliseconds(), backend == PreferredFootage.MilestoneBackend);

    public static bool TryParse(ReadOnlySpan<char> text, out MediaName name)
    {
        name = default;
        var milestone = text.EndsWith(MilestoneSuffix, StringComparison.Ordinal);
        if (milestone)
        {
            text = text[..^MilestoneSuffix.Length];
        }

        if (text.Length is 0 or > 12)
        {
            return false;
        }

        long value = 0;
        foreach (var c in text)
        {
            var digit = Digits.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = (value * 36) + digit;
        }

        name = new MediaName(value, milestone);
        return value <= 253402300799999;
    }

    /// <summary>Whether a file of this backend starting at <paramref name="start"/> is the one named.</summary>
    public bool Matches(DateTimeOffset start, string backend) =>
        (backend == PreferredFootage.MilestoneBackend) == Milestone && (start - Start).Duration() <= Tolerance;

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[16];
        var at = buffer.Length;
        var value = StartMilliseconds;
        do
        {
            buffer[--at] = Digits[(int)(value % 36)];
            value /= 36;
        }
        while (value > 0);
        return new string(buffer[at..]) + (Milestone ? MilestoneSuffix : string.Empty);
    }
}

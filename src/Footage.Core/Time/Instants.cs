namespace Footage.Core.Time;

/// <summary>
/// Every instant we store is UTC with microsecond precision, the precision of a PostgreSQL timestamp,
/// so that a value read back compares equal to the value written on either database.
/// </summary>
public static class Instants
{
    public const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The earliest instant the API accepts.</summary>
    public static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;

    /// <summary>The first instant the API no longer accepts.</summary>
    public static readonly DateTimeOffset Latest = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TicksPerMicrosecond), TimeSpan.Zero);
    }

    public static long ToUnixMicroseconds(DateTimeOffset value) =>
        (Normalize(value).Ticks - DateTimeOffset.UnixEpoch.Ticks) / TicksPerMicrosecond;

    public static DateTimeOffset FromUnixMicroseconds(long micros) =>
        new(DateTimeOffset.UnixEpoch.Ticks + (micros * TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>ISO 8601 in UTC with a Z, trailing zero fractions dropped: the wire format.</summary>
    public static string ToIso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParseIso(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        // An offset or a Z is required: a time without one is ambiguous for a city-wide system.
        if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        var trimmed = text.Trim();
        var hasZone = trimmed.EndsWith('Z') || trimmed.EndsWith('z') ||
                      System.Text.RegularExpressions.Regex.IsMatch(trimmed, @"[+-]\d{2}:?\d{2}$");
        if (!hasZone)
        {
            return false;
        }

        // Nothing recorded predates the Unix epoch, and a range reaching year 10000 overflows the arithmetic around it
        // (a query widened by a segment's length was a 500 at 0001-01-01).
        if (parsed < Earliest || parsed >= Latest)
        {
            return false;
        }

        value = Normalize(parsed);
        return true;
    }
}

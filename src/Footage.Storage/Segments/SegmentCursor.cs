using System.Globalization;
using System.Text;
using Footage.Core.Time;

namespace Footage.Storage.Segments;

/// <summary>An opaque keyset cursor: the (start_time, id) of the last row of a page.</summary>
public static class SegmentCursor
{
    public static string Encode(DateTimeOffset start, Guid id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{Instants.ToUnixMicroseconds(start).ToString(CultureInfo.InvariantCulture)}:{id:N}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? cursor, out DateTimeOffset start, out Guid id)
    {
        start = default;
        id = default;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 100)
        {
            return false;
        }

        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
            var parts = text.Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros) ||
                !Guid.TryParseExact(parts[1], "N", out id) || micros < 0 || micros > 253402300799000000)
            {
                return false;
            }

            start = Instants.FromUnixMicroseconds(micros);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

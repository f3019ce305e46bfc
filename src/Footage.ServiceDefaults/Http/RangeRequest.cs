using System.Globalization;
using Footage.Core.Storage;

namespace Footage.ServiceDefaults.Http;

/// <summary>
/// Resolves an HTTP Range header (RFC 9110, bytes only) against an object's length. One range is served
/// as 206; several ranges are answered with the whole object (200), which the RFC allows and every player
/// handles; a range that starts past the end is 416.
/// </summary>
public static class RangeRequest
{
    public enum Kind
    {
        /// <summary>No usable Range header: serve the whole object.</summary>
        Whole,

        /// <summary>One satisfiable range.</summary>
        Partial,

        /// <summary>The range starts past the end of the object.</summary>
        Unsatisfiable,
    }

    public static Kind Resolve(string? header, long length, out ByteRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return Kind.Whole;
        }

        var spec = header[6..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            return Kind.Whole;
        }

        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return Kind.Whole;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // suffix range: the last N bytes
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return Kind.Whole;
            }

            if (suffix == 0 || length == 0)
            {
                return Kind.Unsatisfiable;
            }

            range = new ByteRange(Math.Max(0, length - suffix), length - 1);
            return Kind.Partial;
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            return Kind.Whole;
        }

        long to = length - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out to))
            {
                // an end too large to parse still means "to the end"
                if (last.All(char.IsAsciiDigit))
                {
                    to = length - 1;
                }
                else
                {
                    return Kind.Whole;
                }
            }

            if (to < from)
            {
                return Kind.Whole; // syntactically invalid: ignore the header
            }
        }

        if (from >= length)
        {
            return Kind.Unsatisfiable;
        }

        range = new ByteRange(from, Math.Min(to, length - 1));
        return Kind.Partial;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// A signed folder in a URL path: <c>{folder}/{expiry}.{mac}/...</c>, the expiry in base-36 Unix seconds and the mac 96 bits of
/// HMAC-SHA256 over the folder and the expiry (base64url, 16 characters). Anything under the token is granted until the expiry;
/// the folder before it is part of the signature, so a token cannot be moved to another camera, link or endpoint.
/// </summary>
public readonly record struct PathToken(long ExpiresAtSeconds, string Mac)
{
    private const int MacLength = 16;
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>The first path segment that has a token's shape, with the folder before it; null when there is none.</summary>
    public static (string Folder, PathToken Token)? Find(string path)
    {
        var start = 0;
        while (start < path.Length)
        {
            var end = path.IndexOf('/', start);
            if (end < 0)
            {
                end = path.Length;
            }

            if (start > 0 && TryParse(path.AsSpan(start, end - start), out var token))
            {
                return (path[..start], token);
            }

            start = end + 1;
        }

        return null;
    }

    public static bool TryParse(ReadOnlySpan<char> text, out PathToken token)
    {
        token = default;
        var dot = text.IndexOf('.');
        if (dot is < 1 or > 12 || text.Length - dot - 1 != MacLength)
        {
            return false;
        }

        long seconds = 0;
        foreach (var c in text[..dot])
        {
            var digit = Digits.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            seconds = (seconds * 36) + digit;
        }

        foreach (var c in text[(dot + 1)..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        token = new PathToken(seconds, text[(dot + 1)..].ToString());
        return true;
    }

    internal static string Format(DateTimeOffset expiresAt, string mac) => Base36(expiresAt.ToUnixTimeSeconds()) + "." + mac;

    internal static string Compute(byte[] key, string folder, long expiresAtSeconds)
    {
        var hash = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"folder:{folder}:{expiresAtSeconds.ToString(CultureInfo.InvariantCulture)}"));
        return Convert.ToBase64String(hash, 0, 12).Replace('+', '-').Replace('/', '_');
    }

    private static string Base36(long value)
    {
        Span<char> buffer = stackalloc char[14];
        var at = buffer.Length;
        do
        {
            buffer[--at] = Digits[(int)(value % 36)];
            value /= 36;
        }
        while (value > 0);
        return new string(buffer[at..]);
    }
}

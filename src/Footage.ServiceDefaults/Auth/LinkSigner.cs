using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// Signs links that work without an API key (a player fetching media, a browser downloading an export)
/// for a limited time. The signature covers the path and the expiry, so a link cannot be stretched in
/// time or pointed at another resource. A <see cref="PathToken"/> signs a folder instead: one short token in the path
/// grants everything under that folder until it expires, so that the relative links of a playlist carry no signature of
/// their own.
/// </summary>
public sealed class LinkSigner
{
    public const string KeyFileName = "link-signing-key";
    private readonly byte[] _key;
    private readonly TimeProvider _clock;

    public LinkSigner(IOptions<AuthOptions> options, IOptions<FootageOptions> footage, TimeProvider clock)
    {
        _clock = clock;
        var configured = options.Value.LinkSigningKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _key = Encoding.UTF8.GetBytes(configured);
            return;
        }

        var folder = FootageOptions.ResolveDataDirectory(footage.Value.DataDirectory);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, KeyFileName);
        if (!File.Exists(path))
        {
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(tmp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(tmp); // another process of this host won the race; use its key
            }
        }

        _key = Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim());
    }

    /// <summary>Returns <c>path?expires=...&amp;sig=...</c> (or with '&amp;' when the path has a query already).</summary>
    public (string Url, DateTimeOffset ExpiresAt) Sign(string pathAndQuery, TimeSpan lifetime)
    {
        var expires = _clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var separator = pathAndQuery.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var unsigned = $"{pathAndQuery}{separator}expires={expires.ToString(CultureInfo.InvariantCulture)}";
        return ($"{unsigned}&sig={Signature(unsigned)}", DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    /// <summary>
    /// Checks a request's path and query (with <c>sig</c> last) against its signature and expiry. The expiry is checked
    /// first: an expired link is refused whatever its signature, so guessing signatures of expired links gains nothing.
    /// </summary>
    public LinkVerdict Verify(string path, string queryWithoutSig, string? expires, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return LinkVerdict.BadSignature;
        }

        if (DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799)) < _clock.GetUtcNow())
        {
            return LinkVerdict.Expired;
        }

        var expected = Encoding.ASCII.GetBytes(Signature(path + queryWithoutSig));
        var actual = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? LinkVerdict.Valid : LinkVerdict.BadSignature;
    }

    /// <summary>A token for everything under <paramref name="folder"/> (which ends with '/') until <paramref name="expiresAt"/> (whole seconds).</summary>
    public string SignFolder(string folder, DateTimeOffset expiresAt) => PathToken.Format(expiresAt, PathToken.Compute(_key, folder, expiresAt.ToUnixTimeSeconds()));

    /// <summary>Checks a token found in a request's path against the folder before it; the expiry first, as for query links.</summary>
    public LinkVerdict VerifyFolder(string folder, PathToken token)
    {
        if (DateTimeOffset.FromUnixTimeSeconds(Math.Min(token.ExpiresAtSeconds, 253402300799)) < _clock.GetUtcNow())
        {
            return LinkVerdict.Expired;
        }

        var expected = Encoding.ASCII.GetBytes(PathToken.Compute(_key, folder, token.ExpiresAtSeconds));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(token.Mac)) ? LinkVerdict.Valid : LinkVerdict.BadSignature;
    }

    private string Signature(string text) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

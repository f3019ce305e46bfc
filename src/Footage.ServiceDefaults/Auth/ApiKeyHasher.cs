using System.Security.Cryptography;
using System.Text;

namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// Keys are 32 random bytes, so a plain SHA-256 is enough to store them safely (no password stretching
/// needed: there is nothing to guess).
/// </summary>
public static class ApiKeyHasher
{
    public const string Prefix = "ftg_";

    public static string NewKey() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

using System.Security.Cryptography;
using Footage.ServiceDefaults.Errors;
using Microsoft.AspNetCore.DataProtection;

namespace Footage.ServiceDefaults.Secrets;

/// <summary>
/// Encrypts what carries a credential before it is stored (a camera URL with a user and password) with ASP.NET Core Data
/// Protection (AES-256-CBC with HMACSHA256, keys rolled every 90 days and kept to decrypt older values), so that a copy of
/// the database, a backup or a replica holds no camera password. Stored values start with <see cref="Prefix"/>; a value
/// without it is plaintext (a URL without credentials, or a row from before this was added until it is migrated).
/// </summary>
public sealed class CredentialProtector(IDataProtectionProvider provider)
{
    public const string Prefix = "protected:v1:";

    private readonly IDataProtector _protector = provider.CreateProtector("Footage.Credentials.v1");

    /// <summary>Whether a URL carries a user or password, and so must be stored encrypted.</summary>
    public static bool HasCredentials(string? url) =>
        url is not null && (Uri.TryCreate(url, UriKind.Absolute, out var uri) ? !string.IsNullOrEmpty(uri.UserInfo) : url.Contains('@', StringComparison.Ordinal));

    public static bool IsProtected(string? stored) => stored?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The value to store: encrypted when it carries credentials, as it is otherwise.</summary>
    public string? Protect(string? value) => HasCredentials(value) && !IsProtected(value) ? Prefix + _protector.Protect(value!) : value;

    /// <summary>The value as it was before <see cref="Protect"/>.</summary>
    /// <exception cref="ProblemException">503: the key that encrypted it is not in this process's key ring.</exception>
    public string? Unprotect(string? stored)
    {
        if (!IsProtected(stored))
        {
            return stored;
        }

        try
        {
            return _protector.Unprotect(stored![Prefix.Length..]);
        }
        catch (CryptographicException)
        {
            throw ProblemException.Unavailable(
                "A stored credential was encrypted with a key this process does not have: every process that reads cameras " +
                "must share one key ring (Footage:DataProtection:KeysDirectory), restored together with the database.");
        }
    }
}

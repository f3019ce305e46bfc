using System.Text;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// Stops the process at start with every weak or incomplete <c>Footage:Auth</c> setting named: keys shorter than 256
/// bits, bearer tokens without an issuer or an audience to check, algorithms that are not signatures of the key in use.
/// </summary>
public sealed class AuthOptionsValidation : IValidateOptions<AuthOptions>
{
    private static readonly string[] Symmetric = ["HS256", "HS384", "HS512"];
    private static readonly string[] Asymmetric = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = Problems(options).ToArray();
        return problems.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> Problems(AuthOptions options)
    {
        const string section = AuthOptions.Section;
        if (!string.IsNullOrEmpty(options.AdminApiKey) && options.AdminApiKey.Length < 32)
        {
            yield return $"{section}:AdminApiKey is {options.AdminApiKey.Length} characters long; give it 32 at least (openssl rand -hex 32), or leave it out to have one generated";
        }

        if (!string.IsNullOrEmpty(options.LinkSigningKey) && Encoding.UTF8.GetByteCount(options.LinkSigningKey) < JwtOptions.MinSigningKeyBytes)
        {
            yield return $"{section}:LinkSigningKey is {Encoding.UTF8.GetByteCount(options.LinkSigningKey) * 8} bits; it must be 256 bits (32 bytes) at least, or left out to have one generated";
        }

        var jwt = options.Jwt;
        if (!jwt.Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            yield return $"{section}:Jwt:Issuer is required when bearer tokens are on: the iss that every token must carry";
        }

        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            yield return $"{section}:Jwt:Audience is required when bearer tokens are on: the aud, naming this system, that every token must carry";
        }

        var symmetric = !string.IsNullOrWhiteSpace(jwt.SigningKey);
        if (symmetric && !string.IsNullOrWhiteSpace(jwt.Authority))
        {
            yield return $"{section}:Jwt: set either Authority (its published keys) or SigningKey (a shared key), not both";
        }

        if (symmetric && Encoding.UTF8.GetByteCount(jwt.SigningKey!) < JwtOptions.MinSigningKeyBytes)
        {
            yield return $"{section}:Jwt:SigningKey is {Encoding.UTF8.GetByteCount(jwt.SigningKey!) * 8} bits; a signing key must be 256 bits (32 bytes) at least";
        }

        var allowed = symmetric ? Symmetric : Asymmetric;
        foreach (var algorithm in jwt.EffectiveAlgorithms().Where(a => !allowed.Contains(a, StringComparer.Ordinal)))
        {
            yield return $"{section}:Jwt:Algorithms: '{algorithm}' is not accepted with {(symmetric ? "a shared SigningKey" : "an Authority")}; use {string.Join(", ", allowed)}";
        }
    }
}

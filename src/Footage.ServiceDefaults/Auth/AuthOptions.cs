namespace Footage.ServiceDefaults.Auth;

/// <summary><c>Footage:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Footage:Auth";

    /// <summary>The admin API key; without it one is generated at first start, printed once and kept in the data folder.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>Key for signing expiring media and download links; generated and kept in the data folder when empty.</summary>
    public string? LinkSigningKey { get; set; }

    public JwtOptions Jwt { get; set; } = new();
}

/// <summary>
/// Bearer tokens: either an OpenID Connect authority (its published keys), or a shared signing key. Whenever they are on,
/// the issuer and the audience are required and checked, and only the listed signing algorithms are accepted.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>The smallest signing key accepted: 256 bits, as HS256 needs (RFC 7518, section 3.2).</summary>
    public const int MinSigningKeyBytes = 32;

    public string? Authority { get; set; }

    /// <summary>The <c>iss</c> every token must carry (required when tokens are on).</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> every token must carry, naming this system (required when tokens are on).</summary>
    public string? Audience { get; set; }

    /// <summary>Symmetric signing key (at least 32 bytes of text) when no authority is used.</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// The signing algorithms accepted (a token's <c>alg</c> must be one of them). Empty: HS256 with a signing key, RS256
    /// and ES256 with an authority. <c>none</c> is never accepted.
    /// </summary>
    public List<string> Algorithms { get; set; } = [];

    /// <summary>The algorithms in force: the configured ones, or the defaults of the mode.</summary>
    public IReadOnlyList<string> EffectiveAlgorithms() =>
        Algorithms.Count > 0 ? Algorithms : string.IsNullOrWhiteSpace(SigningKey) ? ["RS256", "ES256"] : ["HS256"];

    /// <summary>The claim that carries the role (viewer, operator, admin).</summary>
    public string RoleClaim { get; set; } = "role";

    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}

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

/// <summary>Bearer tokens: either an OpenID Connect authority, or a shared signing key (HS256) with issuer and audience.</summary>
public sealed class JwtOptions
{
    public string? Authority { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>Symmetric signing key (at least 32 bytes of text) when no authority is used.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim that carries the role (viewer, operator, admin).</summary>
    public string RoleClaim { get; set; } = "role";

    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}

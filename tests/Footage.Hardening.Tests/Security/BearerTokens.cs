using System.Net.Http.Headers;
using System.Text;
using Footage.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Bearer tokens as an identity provider would issue them for the host's <c>Footage:Auth:Jwt</c> settings (HS256, issuer,
/// audience, the role in the <c>role</c> claim, the name in <c>preferred_username</c>), and the ways one can be wrong.
/// </summary>
public static class BearerTokens
{
    public const string Issuer = "https://idp.hardening.test/";
    public const string Audience = "footage-hardening";
    public const string SigningKey = "hardening-jwt-signing-key-0123456789-abcdef";
    public const string OtherSigningKey = "some-other-signing-key-0123456789-abcdef!!";

    /// <summary>The host settings that make it accept these tokens.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Footage:Auth:Jwt:SigningKey", SigningKey),
        new("Footage:Auth:Jwt:Issuer", Issuer),
        new("Footage:Auth:Jwt:Audience", Audience),
    ];

    /// <param name="role">A role name, an array of them, or null for a token without a role claim.</param>
    public static string Mint(
        string name, object? role, string signingKey = SigningKey, string issuer = Issuer, string audience = Audience, TimeSpan? expiresIn = null, bool signed = true,
        string algorithm = SecurityAlgorithms.HmacSha256)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var expires = now + (expiresIn ?? TimeSpan.FromHours(1));
        var claims = new Dictionary<string, object> { ["sub"] = "sub-" + name, ["preferred_username"] = name };
        if (role is not null)
        {
            claims["role"] = role;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddHours(-2),
            NotBefore = expires.AddHours(-2),
            Expires = expires,
            Claims = claims,
            SigningCredentials = signed ? new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), algorithm) : null,
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public static HttpClient Client(FootageServer server, string token)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

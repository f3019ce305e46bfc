using System.Net;
using Footage.Testing;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Bearer tokens are checked whole or not at all: a host with tokens on but no issuer or audience to check, or with a key
/// shorter than 256 bits, does not start (the message names the setting); a running host refuses a token for another
/// audience and one signed with an algorithm it does not accept, even with the right key.
/// </summary>
public sealed class JwtSettingsTests
{
    [Theory]
    [InlineData(null, "footage", "a-signing-key-of-256-bits-0123456789!", "Jwt:Issuer is required")]
    [InlineData("https://idp.example/", null, "a-signing-key-of-256-bits-0123456789!", "Jwt:Audience is required")]
    [InlineData("https://idp.example/", "footage", "short-key-31-bytes-0123456789ab", "Jwt:SigningKey is 248 bits")]
    public async Task Tokens_without_issuer_or_audience_or_with_a_short_key_stop_the_host_at_start(string? issuer, string? audience, string key, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Auth:Jwt:SigningKey"] = key,
            ["Footage:Auth:Jwt:Issuer"] = issuer,
            ["Footage:Auth:Jwt:Audience"] = audience,
        }));
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_link_signing_key_or_an_unsigned_algorithm_stops_the_host_at_start()
    {
        var link = await Assert.ThrowsAnyAsync<Exception>(() => FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Auth:LinkSigningKey"] = "too-short",
        }));
        Assert.Contains("LinkSigningKey is 72 bits", link.ToString(), StringComparison.Ordinal);

        var none = await Assert.ThrowsAnyAsync<Exception>(() => FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>(BearerTokens.Settings)
        {
            ["Footage:Auth:Jwt:Algorithms:0"] = "none",
        }));
        Assert.Contains("'none' is not accepted", none.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_another_audience_or_with_another_algorithm_is_refused()
    {
        // a key long enough for HS512 too, so that only the algorithm differs
        const string key = "a-shared-key-long-enough-for-hs512-too-0123456789-0123456789-abc";
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>(BearerTokens.Settings)
        {
            ["Footage:Auth:Jwt:SigningKey"] = key,
        });

        using var right = BearerTokens.Client(server, BearerTokens.Mint("alice", "admin", signingKey: key));
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("api/v1/cameras")).StatusCode);

        using var otherAudience = BearerTokens.Client(server, BearerTokens.Mint("alice", "admin", signingKey: key, audience: "some-other-system"));
        using var audienceAnswer = await otherAudience.GetAsync("api/v1/cameras");
        Assert.Equal(HttpStatusCode.Unauthorized, audienceAnswer.StatusCode);
        Assert.Equal("application/problem+json", audienceAnswer.Content.Headers.ContentType?.MediaType);

        // the right key, but HS512: only HS256 is accepted with a shared key unless configured otherwise
        using var otherAlgorithm = BearerTokens.Client(server, BearerTokens.Mint("alice", "admin", signingKey: key, algorithm: SecurityAlgorithms.HmacSha512));
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherAlgorithm.GetAsync("api/v1/cameras")).StatusCode);
    }
}

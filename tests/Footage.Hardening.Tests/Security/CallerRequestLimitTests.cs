using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.ServiceDefaults.Auth;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// The per-caller request limit (off by default; 20 per 10 minutes here): a key or a token's user past it gets 429
/// problem details with Retry-After, other callers do not, and signed links (what players fetch media with) are not counted.
/// </summary>
public sealed class CallerRequestLimitTests : IAsyncLifetime
{
    private const int Limit = 20;
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>(BearerTokens.Settings)
    {
        ["Footage:Security:CallerRequests:Limit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Footage:Security:CallerRequests:Window"] = "00:10:00",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_caller_past_its_limit_gets_429_and_other_callers_and_signed_links_do_not()
    {
        var busy = await _server.ClientAsync("viewer");
        var busyName = (await busy.GetFromJsonAsync<JsonElement>("api/v1/auth/me")).GetProperty("name").GetString();
        for (var i = 1; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("api/v1/cameras")).StatusCode);
        }

        var refused = await busy.GetAsync("api/v1/cameras");
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 600);
        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("health")).StatusCode);

        // another key, and a bearer token's user, each have their own count
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.GetAsync("api/v1/cameras")).StatusCode);
        var token = BearerTokens.Client(_server, BearerTokens.Mint("vera.viewer", "viewer"));
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("api/v1/cameras")).StatusCode);
        }

        await (await token.GetAsync("api/v1/cameras")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var sameUserNewToken = BearerTokens.Client(_server, BearerTokens.Mint("vera.viewer", "viewer"));
        await (await sameUserNewToken.GetAsync("api/v1/cameras")).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        // signed links are nobody's: a player keeps fetching
        var (link, _) = _server.Get<LinkSigner>().Sign($"/api/v1/storage/exports/{Guid.NewGuid()}/download", TimeSpan.FromMinutes(5));
        var anonymous = _server.CreateClient();
        for (var i = 0; i < Limit * 2; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(link.TrimStart('/'))).StatusCode);
        }

        var audited = (await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?outcome=refused&limit=1000")).EnumerateArray()
            .Where(e => e.GetProperty("status").GetInt32() == 429).ToArray();
        var byBusy = Assert.Single(audited, e => e.GetProperty("actor").GetString() == busyName);
        Assert.Equal("request limit of this caller", byBusy.GetProperty("reason").GetString());
        Assert.Equal("viewer", byBusy.GetProperty("role").GetString());
        Assert.Contains(audited, e => e.GetProperty("actor").GetString() == "vera.viewer");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Behind a trusted proxy (here 127.0.0.1) the client is the address its <c>X-Forwarded-For</c> names, for the failed
/// sign-in limit and the audit log alike; from any other address the header is ignored, so a client cannot pick its own.
/// </summary>
public sealed class TrustedProxyTests : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
    {
        ["Footage:Security:TrustedProxies:0"] = "127.0.0.1",
        ["Footage:Security:FailedSignIns:Limit"] = "3",
        ["Footage:Security:FailedSignIns:Window"] = "00:10:00",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_proxys_forwarded_address_is_the_client_and_anyone_elses_header_is_ignored()
    {
        async Task<HttpStatusCode> GuessAsync(HttpClient client, string? forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/auth/me");
            request.Headers.Add("X-Api-Key", "ftg_guess_" + Guid.NewGuid().ToString("N"));
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }

            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var proxy = _server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GuessAsync(proxy, "203.0.113.7"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await GuessAsync(proxy, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GuessAsync(proxy, "198.51.100.9")); // another client behind the proxy

        // not a trusted proxy: its header names no one, its own address is the client
        using var other = ClientFrom.Address(_server.BaseAddress, "127.0.0.2");
        Assert.Equal(HttpStatusCode.Unauthorized, await GuessAsync(other, "203.0.113.7"));

        var refused = (await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?outcome=refused&limit=1000")).EnumerateArray()
            .Select(e => e.GetProperty("remote_ip").GetString()).ToArray();
        Assert.Contains("203.0.113.7", refused);
        Assert.Contains("198.51.100.9", refused);
        Assert.Contains("127.0.0.2", refused);
        Assert.DoesNotContain("127.0.0.1", refused);
    }

    [Fact]
    public async Task A_malformed_proxy_stops_the_host_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Security:TrustedProxies:0"] = "kong.internal/8",
        }));
        Assert.Contains("TrustedProxies", error.ToString(), StringComparison.Ordinal);
    }
}

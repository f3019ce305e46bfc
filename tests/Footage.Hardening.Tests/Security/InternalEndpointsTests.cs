using System.Net;
using System.Text.Json;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// What is for the inside: behind a trusted proxy (127.0.0.1, as Kong in the compose file) a client out there gets
/// <c>/health</c>'s status alone and no <c>/metrics</c> or OpenAPI document, however it spells the path; an admin gets
/// them from anywhere, and a caller of the internal network (here 127.0.0.2, not the proxy) without credentials.
/// </summary>
public sealed class InternalEndpointsTests : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
    {
        ["Footage:Security:TrustedProxies:0"] = "127.0.0.1",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_public_client_gets_the_health_status_alone_and_no_metrics_or_openapi()
    {
        using var proxy = _server.CreateClient();
        async Task<HttpResponseMessage> FromOutsideAsync(string path, string? key = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }

            return await proxy.SendAsync(request);
        }

        using var health = await FromOutsideAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var status = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["status"], status.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Healthy", status.GetProperty("status").GetString());

        foreach (var path in new[] { "metrics", "METRICS", "openapi/v1.json", "OpenApi/v1.json" })
        {
            using var refused = await FromOutsideAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.DoesNotContain("footage_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // a viewer out there is no admin
        using var viewerKey = await _server.Admin.PostAsync("api/v1/auth/keys", new StringContent("""{"name":"outside viewer","role":"viewer"}""", System.Text.Encoding.UTF8, "application/json"));
        var viewer = JsonDocument.Parse(await viewerKey.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString();
        using (var forbidden = await FromOutsideAsync("metrics", viewer))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using (var viewerHealth = await FromOutsideAsync("health", viewer))
        {
            Assert.False(JsonDocument.Parse(await viewerHealth.Content.ReadAsStringAsync()).RootElement.TryGetProperty("checks", out _));
        }

        // an admin from anywhere
        using var adminMetrics = await FromOutsideAsync("metrics", FootageServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, adminMetrics.StatusCode);
        using var adminHealth = await FromOutsideAsync("health", FootageServer.AdminKey);
        Assert.True(JsonDocument.Parse(await adminHealth.Content.ReadAsStringAsync()).RootElement.TryGetProperty("checks", out _));

        // the proxy's own address is not internal: a request it sent without naming a client stays outside
        using var bare = await proxy.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode);
    }

    [Fact]
    public async Task The_internal_network_reads_health_in_detail_metrics_and_openapi_without_credentials()
    {
        using var inside = ClientFrom.Address(_server.BaseAddress, "127.0.0.2");
        var health = JsonDocument.Parse(await inside.GetStringAsync("health")).RootElement;
        Assert.True(health.GetProperty("checks").TryGetProperty("database", out _));
        Assert.Contains("footage_", await inside.GetStringAsync("metrics"), StringComparison.Ordinal);
        Assert.Contains("\"openapi\"", await inside.GetStringAsync("openapi/v1.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_internal_network_stops_the_host_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Security:InternalNetworks:0"] = "compose-network",
        }));
        Assert.Contains("InternalNetworks", error.ToString(), StringComparison.Ordinal);
    }
}

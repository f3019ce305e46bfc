using System.Net;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// What a browser is told: the UI's page and every API answer (errors included) carry the security headers and a
/// content security policy the UI works under; cross-origin calls are refused unless an origin is configured.
/// </summary>
/// <remarks>The tests on defaults only read (GET, OPTIONS): they share one host, and those that need other settings start their own.</remarks>
public sealed class BrowserRulesTests(UiServer ui) : IClassFixture<UiServer>
{
    private const string Allowed = "https://control.example.com";
    private readonly FootageServer _server = ui.Server;

    [Theory]
    [InlineData("", false)]
    [InlineData("app.js", false)]
    [InlineData("api/v1/cameras", true)]
    [InlineData("api/v1/cameras/not-a-uuid", true)]
    [InlineData("api/v1/cameras/00000000-0000-4000-8000-000000000001", true)]
    [InlineData("api/v1/nothing-here", true)]
    [InlineData("health", false)]
    public async Task Every_answer_carries_the_security_headers(string path, bool withKey)
    {
        var client = withKey ? _server.Admin : _server.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ui_page_needs_nothing_the_policy_forbids()
    {
        // the policy allows scripts and styles from this host only: the page may have no inline script, style or handler
        var page = await _server.CreateClient().GetStringAsync("");
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", page);
        Assert.DoesNotContain("<style", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("\\son[a-z]+\\s*=", page);
        Assert.DoesNotMatch("\\sstyle\\s*=", page);
        var script = await _server.CreateClient().GetStringAsync("app.js");
        Assert.DoesNotContain("eval(", script, StringComparison.Ordinal); // script-src has no 'unsafe-eval'
    }

    [Fact]
    public async Task No_origin_may_call_the_api_from_a_browser_by_default()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "api/v1/cameras");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "DELETE");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key");
        using var answer = await _server.CreateClient().SendAsync(preflight);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));

        using var get = new HttpRequestMessage(HttpMethod.Get, "api/v1/cameras");
        get.Headers.Add("Origin", "https://evil.example");
        using var response = await _server.Admin.SendAsync(get);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_configured_origin_may_call_the_api_and_no_other()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Security:CorsAllowedOrigins:0"] = Allowed,
        });
        foreach (var (origin, allowed) in new[] { (Allowed, true), ("https://evil.example", false), ("https://control.example.com.evil.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "api/v1/cameras");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key,content-type");
            using var answer = await server.CreateClient().SendAsync(preflight);
            Assert.Equal(allowed, answer.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
        }
    }

    [Fact]
    public async Task A_misconfigured_origin_stops_the_host_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Security:CorsAllowedOrigins:0"] = "https://control.example.com/path",
        }));
        Assert.Contains("CorsAllowedOrigins", error.ToString(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Footage.Server;
using Footage.ServiceDefaults;
using Footage.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Footage.Storage.Tests.Host;

/// <summary>What every module relies on: open health and metrics, OpenAPI, identity, limits and headers.</summary>
public sealed class HostTests(PostgresServer postgres)
{
    private const string JwtKey = "a-test-signing-key-that-is-long-enough-for-hs256!";

    [Fact]
    public async Task Health_metrics_and_openapi_are_open_and_report_the_database_and_backends()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Postgres, postgres);
        var anonymous = server.CreateClient();

        var health = await (await anonymous.GetAsync("health")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("storage_backends").GetProperty("status").GetString());

        var metrics = await anonymous.GetStringAsync("metrics");
        Assert.Contains("footage_segments_registered_total", metrics);
        Assert.Contains("http_requests_received_total", metrics);

        var openapi = await anonymous.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var paths = openapi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/v1/storage/segments", paths);
        Assert.Contains("/api/v1/storage/segments/{camera_id}", paths);
        Assert.Contains("/api/v1/storage/exports/{id}/download", paths);
    }

    [Fact]
    public async Task Without_a_configured_admin_key_one_is_generated_once_kept_private_and_works_after_a_restart()
    {
        using var data = new TempFolder();
        string[] Args() => ["--urls=http://127.0.0.1:0", $"--Footage:DataDirectory={data.Path}", "--Footage:Storage:Retention:Enabled=false", "--Logging:LogLevel:Default=Warning"];

        string key;
        await using (var app = FootageHost.Build(Args()))
        {
            await app.PrepareDatabaseAsync();
            await app.StartAsync();
            var file = Path.Combine(data.Path, "admin-api-key");
            key = (await File.ReadAllTextAsync(file)).Trim();
            Assert.StartsWith("ftg_", key);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/cameras")).StatusCode);
            await app.StopAsync();
        }

        await using (var again = FootageHost.Build(Args()))
        {
            await again.PrepareDatabaseAsync();
            await again.StartAsync();
            Assert.Equal(key, (await File.ReadAllTextAsync(Path.Combine(data.Path, "admin-api-key"))).Trim());
            using var client = new HttpClient { BaseAddress = new Uri(again.Urls.First()) };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/cameras")).StatusCode);
            Assert.True(File.Exists(Path.Combine(data.Path, "footage.db")), "the SQLite catalog lives in the data folder");
            await again.StopAsync();
        }
    }

    [Fact]
    public async Task Api_keys_are_created_by_admins_shown_once_stored_hashed_and_revocable()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres);
        var created = await (await server.Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = "recorder-1", role = "operator" })).AssertJsonAsync(HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetGuid();

        var list = await server.Admin.GetStringAsync("api/v1/auth/keys");
        Assert.Contains("recorder-1", list);
        Assert.DoesNotContain(key, list);
        var dbBytes = await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, "footage.db"));
        Assert.DoesNotContain(key, Encoding.ASCII.GetString(dbBytes));

        var operatorClient = server.CreateClient(key);
        var me = await operatorClient.GetFromJsonAsync<JsonElement>("api/v1/auth/me");
        Assert.Equal("recorder-1", me.GetProperty("name").GetString());
        await (await operatorClient.PostAsJsonAsync("api/v1/auth/keys", new { name = "x", role = "admin" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        await (await server.Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = "recorder-1", role = "viewer" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("role", (await (await server.Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = "y", role = "root" })).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync($"api/v1/auth/keys/{id}")).StatusCode);
        await (await server.CreateClient(key).GetAsync("api/v1/cameras")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bearer_tokens_carry_identity_and_role_and_bad_tokens_are_refused()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, new Dictionary<string, string?>
        {
            ["Footage:Auth:Jwt:SigningKey"] = JwtKey,
            ["Footage:Auth:Jwt:Issuer"] = "https://idp.example",
            ["Footage:Auth:Jwt:Audience"] = "footage",
        });

        using var viewer = Bearer(server, Token("alice", "viewer", JwtKey, TimeSpan.FromMinutes(5)));
        var me = await viewer.GetFromJsonAsync<JsonElement>("api/v1/auth/me");
        Assert.Equal("alice", me.GetProperty("name").GetString());
        Assert.Equal(["viewer"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        await (await viewer.PostAsJsonAsync("api/v1/storage/exports", new { })).AssertProblemAsync(HttpStatusCode.Forbidden);

        using var admin = Bearer(server, Token("bob", "admin", JwtKey, TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("api/v1/auth/keys")).StatusCode);

        using var forged = Bearer(server, Token("mallory", "admin", JwtKey + "-not-the-key", TimeSpan.FromMinutes(5)));
        await (await forged.GetAsync("api/v1/cameras")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var expired = Bearer(server, Token("carol", "admin", JwtKey, TimeSpan.FromMinutes(-10)));
        await (await expired.GetAsync("api/v1/cameras")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Oversized_bodies_are_413_and_responses_carry_security_headers()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres);
        var huge = new StringContent("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        var response = await server.Admin.PostAsync("api/v1/cameras", huge);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        var ok = await server.Admin.GetAsync("api/v1/cameras");
        Assert.Equal("nosniff", ok.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", ok.Headers.GetValues("X-Frame-Options").Single());
    }

    private static HttpClient Bearer(FootageServer server, string token)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Token(string user, string role, string key, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://idp.example",
            Audience = "footage",
            Subject = new ClaimsIdentity([new Claim("preferred_username", user), new Claim("sub", user), new Claim("role", role)]),
            NotBefore = now.AddMinutes(-30),
            IssuedAt = now.AddMinutes(-30),
            Expires = now.Add(lifetime),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Data;
using Footage.Hardening.Tests.BadInput;
using Footage.ServiceDefaults.Auth;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// A request refused at the door (401: no or invalid credentials; 403: a role too low) is a refused attempt in the audit
/// log: who when known, method, path, status, client address and why; the key, token or signature it presented is in no
/// table, and no key or token is in any log line.
/// </summary>
public sealed class RefusedAttemptAuditTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(
        DatabaseKind.Sqlite,
        settings: new Dictionary<string, string?>(BearerTokens.Settings)
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        },
        services: s => s.AddSingleton<ILoggerProvider>(_logs));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Each_refusal_is_audited_with_who_what_where_and_why_and_no_presented_secret_is_kept()
    {
        var viewer = await _server.ClientAsync("viewer");
        var viewerKeyName = (await viewer.GetFromJsonAsync<JsonElement>("api/v1/auth/me")).GetProperty("name").GetString();
        var camera = Guid.NewGuid();
        var unknownKey = "ftg_guessed_" + Guid.NewGuid().ToString("N");
        var forgedToken = BearerTokens.Mint("mallory", "admin", signingKey: BearerTokens.OtherSigningKey);
        var expiredToken = BearerTokens.Mint("ada.admin", "admin", expiresIn: TimeSpan.FromMinutes(-10));
        var operatorToken = BearerTokens.Mint("otto.operator", "operator");
        var noRoleToken = BearerTokens.Mint("nora.norole", null);
        var forgedSignature = "Zm9yZ2VkLXNpZ25hdHVyZS0" + Guid.NewGuid().ToString("N");
        var expires = TimeProvider.System.GetUtcNow().AddHours(1).ToUnixTimeSeconds();

        await (await _server.CreateClient().GetAsync("api/v1/cameras")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await _server.CreateClient(unknownKey).GetAsync($"api/v1/cameras/{camera}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await BearerTokens.Client(_server, forgedToken).DeleteAsync($"api/v1/cameras/{camera}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await BearerTokens.Client(_server, expiredToken).GetAsync("api/v1/metadata/tags")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await _server.CreateClient().GetAsync($"api/v1/storage/exports/{camera}/download?expires={expires}&sig={forgedSignature}"))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await viewer.PostAsJsonAsync("api/v1/metadata/tags", new { name = "not mine to make" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await BearerTokens.Client(_server, operatorToken).PostAsJsonAsync("api/v1/auth/keys", new { name = "escalate", role = "admin" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await BearerTokens.Client(_server, noRoleToken).GetAsync("api/v1/cameras")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var refused = (await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?outcome=refused&limit=1000")).EnumerateArray().ToArray();
        Assert.All(refused, e => Assert.Equal("127.0.0.1", e.GetProperty("remote_ip").GetString()));
        Assert.All(refused, e => Assert.Equal(1, e.GetProperty("attempts").GetInt32()));

        AssertEntry(refused, "GET", "/api/v1/cameras", 401, "anonymous", null, "no credentials");
        AssertEntry(refused, "GET", $"/api/v1/cameras/{camera}", 401, "anonymous", null, "API key unknown or revoked");
        var forged = AssertEntry(refused, "DELETE", $"/api/v1/cameras/{camera}", 401, "anonymous", null, "bearer token signature not valid");
        Assert.Equal("/api/v1/cameras/{id}", forged.GetProperty("route").GetString());
        AssertEntry(refused, "GET", "/api/v1/metadata/tags", 401, "anonymous", null, "bearer token expired");
        AssertEntry(refused, "GET", $"/api/v1/storage/exports/{camera}/download", 401, "anonymous", null, "signed link signature not valid");
        var byViewer = AssertEntry(refused, "POST", "/api/v1/metadata/tags", 403, viewerKeyName, "viewer", "role viewer below operator");
        Assert.False(string.IsNullOrEmpty(byViewer.GetProperty("key_id").GetString()));
        var byOperator = AssertEntry(refused, "POST", "/api/v1/auth/keys", 403, "otto.operator", "operator", "role operator below admin");
        Assert.Equal(JsonValueKind.Null, byOperator.GetProperty("key_id").ValueKind);
        AssertEntry(refused, "GET", "/api/v1/cameras", 403, "nora.norole", null, "no role; viewer needed");

        string[] secrets = [unknownKey, forgedToken, expiredToken, operatorToken, noRoleToken, forgedSignature, ..TokenParts(forgedToken), ..TokenParts(expiredToken)];
        var state = await StateSnapshot.TakeAsync(_server.Get<IDatabase>(), _server.DataDirectory);
        Assert.Contains("bearer token signature not valid", state, StringComparison.Ordinal);
        var inTables = secrets.Where(s => state.Contains(s, StringComparison.Ordinal)).ToArray();
        Assert.True(inTables.Length == 0, "presented secrets stored: " + string.Join(", ", inTables));
        // a link's signature is in its URL, so the framework's request log (Microsoft.AspNetCore at Information; Warning by
        // default) has it, as a proxy's access log would; keys and tokens travel in headers and must be in no log line
        string[] headerSecrets = [.. secrets.Where(s => s != forgedSignature)];
        var inLogs = _logs.Lines.Where(l => headerSecrets.Any(s => l.Contains(s, StringComparison.Ordinal))).ToArray();
        Assert.True(inLogs.Length == 0, $"{inLogs.Length} log lines carry a presented secret:\n{string.Join("\n", inLogs.Take(5))}");
        Assert.DoesNotContain(ApiKeyHasher.Hash(unknownKey), state, StringComparison.Ordinal);
    }

    private static JsonElement AssertEntry(JsonElement[] entries, string method, string path, int status, string? actor, string? role, string reason)
    {
        var matches = entries.Where(e => e.GetProperty("method").GetString() == method && e.GetProperty("path").GetString() == path &&
                                         e.GetProperty("status").GetInt32() == status).ToArray();
        var entry = Assert.Single(matches);
        Assert.Equal(actor, entry.GetProperty("actor").GetString());
        Assert.Equal(role, entry.GetProperty("role").GetString());
        Assert.Equal(reason, entry.GetProperty("reason").GetString());
        Assert.Equal("refused", entry.GetProperty("outcome").GetString());
        return entry;
    }

    /// <summary>A token's payload and signature on their own (a log line could quote only part of it).</summary>
    private static string[] TokenParts(string token) => token.Split('.').Skip(1).Where(p => p.Length > 16).ToArray();
}

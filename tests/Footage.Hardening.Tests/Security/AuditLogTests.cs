using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// Every change is in the audit log with who made it (from the key or token, not the body); reads and requests refused for
/// bad input are not; a request refused at the door is, as a refusal; only admins read it.
/// </summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(DatabaseKind.Sqlite);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_change_is_logged_with_its_author_and_a_read_or_a_change_refused_for_bad_input_is_not()
    {
        var viewer = await _server.ClientAsync("viewer");
        var operatorClient = await _server.ClientAsync("operator");
        var operatorName = (await operatorClient.GetFromJsonAsync<JsonElement>("api/v1/auth/me")).GetProperty("name").GetString();
        var before = await EntriesAsync();

        var tag = await (await operatorClient.PostAsJsonAsync("api/v1/metadata/tags", new { name = "audited", created_by = "somebody-else" })).AssertJsonAsync(HttpStatusCode.Created);
        var tagId = tag.GetProperty("id").GetString();
        await (await viewer.PostAsJsonAsync("api/v1/metadata/tags", new { name = "refused" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await operatorClient.PostAsJsonAsync("api/v1/metadata/tags", new { name = "" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await operatorClient.GetStringAsync($"api/v1/metadata/tags/{tagId}");
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"api/v1/metadata/tags/{tagId}")).StatusCode);

        var after = await EntriesAsync();
        var added = after.Take(after.Length - before.Length).Reverse().ToArray();
        var refused = Assert.Single(added, e => e.GetProperty("outcome").GetString() == "refused");
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
        Assert.Equal("viewer", refused.GetProperty("role").GetString());
        added = added.Where(e => e.GetProperty("outcome").GetString() == "changed").ToArray();
        Assert.Equal(2, added.Length);
        Assert.Equal(["POST", "DELETE"], added.Select(e => e.GetProperty("method").GetString()));
        Assert.All(added, e => Assert.Equal(operatorName, e.GetProperty("actor").GetString()));
        Assert.All(added, e => Assert.Equal("operator", e.GetProperty("role").GetString()));
        Assert.Equal(201, added[0].GetProperty("status").GetInt32());
        Assert.Equal("/api/v1/metadata/tags/", added[0].GetProperty("path").GetString()!.TrimEnd('/') + "/");
        Assert.Equal($"/api/v1/metadata/tags/{tagId}", added[1].GetProperty("path").GetString());
        Assert.Equal("/api/v1/metadata/tags/{id}", added[1].GetProperty("route").GetString());
        Assert.NotNull(added[1].GetProperty("key_id").GetString());
        Assert.True(added[1].GetProperty("occurred_at").GetDateTimeOffset() >= added[0].GetProperty("occurred_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log_and_its_filters_are_checked()
    {
        await (await (await _server.ClientAsync("viewer")).GetAsync("api/v1/audit")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await (await _server.ClientAsync("operator")).GetAsync("api/v1/audit")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _server.CreateClient().GetAsync("api/v1/audit")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await _server.Admin.GetAsync("api/v1/audit?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _server.Admin.GetAsync("api/v1/audit?from=2026-11-24T10:00:00Z&to=2026-11-24T09:00:00Z")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _server.Admin.GetAsync("api/v1/audit?from=yesterday")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _server.Admin.GetAsync("api/v1/audit?outcome=deleted")).AssertProblemAsync(HttpStatusCode.BadRequest);

        await _server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "Audited camera" });
        var mine = await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?actor=admin&outcome=changed&limit=1");
        var entry = Assert.Single(mine.EnumerateArray());
        Assert.Equal("POST", entry.GetProperty("method").GetString());
        Assert.Equal("admin", entry.GetProperty("role").GetString());
        Assert.Equal("changed", entry.GetProperty("outcome").GetString());
        var refusals = await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?outcome=refused");
        Assert.NotEmpty(refusals.EnumerateArray()); // the viewer, the operator and the anonymous reader refused above
        Assert.All(refusals.EnumerateArray(), e => Assert.Equal("refused", e.GetProperty("outcome").GetString()));
        var none = await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?from=2100-01-01T00:00:00Z");
        Assert.Empty(none.EnumerateArray());
    }

    private async Task<JsonElement[]> EntriesAsync() =>
        (await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?limit=1000")).EnumerateArray().ToArray();
}

using System.Net.Http.Json;
using System.Text.Json;
using Footage.Hardening.Tests.BadInput;
using Footage.Data;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>API keys are kept as SHA-256 hashes: the secret shown once at creation is nowhere in the database.</summary>
public sealed class ApiKeyStorageTests : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(DatabaseKind.Sqlite);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_created_key_and_the_configured_admin_key_are_stored_only_as_hashes()
    {
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = "hash-check", role = "operator" })).Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("key").GetString()!;
        var state = await StateSnapshot.TakeAsync(_server.Get<IDatabase>(), _server.DataDirectory);
        Assert.Contains("hash-check", state, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, state, StringComparison.Ordinal);
        Assert.DoesNotContain(FootageServer.AdminKey, state, StringComparison.Ordinal);
        Assert.Contains(Footage.ServiceDefaults.Auth.ApiKeyHasher.Hash(secret), state, StringComparison.Ordinal);

        var listed = await _server.Admin.GetStringAsync("api/v1/auth/keys");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain("key_hash", listed, StringComparison.Ordinal);
    }
}

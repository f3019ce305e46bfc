using System.Data.Common;
using Footage.Data;
using Microsoft.Extensions.Caching.Memory;

namespace Footage.ServiceDefaults.Auth;

/// <summary>API keys in the catalog database; lookups are cached briefly so that media requests do not hit the database.</summary>
public sealed class ApiKeyStore(IDatabase database, IMemoryCache cache, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async Task<ApiKey?> FindActiveAsync(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeyHasher.Hash(key);
        if (cache.TryGetValue(CacheKey(hash), out ApiKey? cached))
        {
            return cached;
        }

        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL")
            .With("hash", hash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = await reader.ReadAsync(cancellationToken) ? Read(reader, d) : null;
        cache.Set(CacheKey(hash), found, CacheFor);
        return found;
    }

    public async Task<(ApiKey Key, string Secret)> CreateAsync(string name, string role, string createdBy, CancellationToken cancellationToken, string? secret = null)
    {
        secret ??= ApiKeyHasher.NewKey();
        var key = new ApiKey(Guid.NewGuid(), name, role, clock.GetUtcNow(), createdBy, null, null);
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "INSERT INTO api_keys (id, name, key_hash, role, created_by, created_at) VALUES (@id, @name, @hash, @role, @by, @at) ON CONFLICT (name) DO NOTHING")
            .With("id", d.Id(key.Id)).With("name", name).With("hash", ApiKeyHasher.Hash(secret)).With("role", role)
            .With("by", createdBy).With("at", d.Time(key.CreatedAt));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw Errors.ProblemException.Conflict($"An API key named '{name}' already exists.");
        }

        return (key, secret);
    }

    /// <summary>Makes the key named <paramref name="name"/> have this secret and role (the configured admin key).</summary>
    public async Task EnsureAsync(string name, string role, string secret, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                """
                INSERT INTO api_keys (id, name, key_hash, role, created_by, created_at) VALUES (@id, @name, @hash, @role, 'configuration', @at)
                ON CONFLICT (name) DO UPDATE SET key_hash = excluded.key_hash, role = excluded.role, revoked_at = NULL
                """)
            .With("id", d.Id(Guid.NewGuid())).With("name", name).With("hash", ApiKeyHasher.Hash(secret)).With("role", role)
            .With("at", d.Time(clock.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT COUNT(*) FROM api_keys WHERE name = @name").With("name", name);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM api_keys ORDER BY created_at, name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader, d));
        }

        return keys;
    }

    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL RETURNING key_hash")
            .With("at", d.Time(clock.GetUtcNow())).With("id", d.Id(id));
        var hash = await command.ExecuteScalarAsync(cancellationToken) as string;
        if (hash is null)
        {
            return false;
        }

        cache.Remove(CacheKey(hash.Trim()));
        return true;
    }

    private const string Columns = "id, name, role, created_at, created_by, last_used_at, revoked_at";

    private static ApiKey Read(DbDataReader r, SqlDialect d) =>
        new(d.ReadId(r, 0), r.GetString(1), r.GetString(2), d.ReadTime(r, 3), r.GetString(4), d.ReadNullableTime(r, 5), d.ReadNullableTime(r, 6));

    private static string CacheKey(string hash) => "apikey:" + hash;
}

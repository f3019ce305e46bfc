using StackExchange.Redis;

namespace Footage.Playback.Caching;

/// <summary>Valkey or Redis through StackExchange.Redis, shared by every playback node.</summary>
public sealed class RedisPlaybackCache(IConnectionMultiplexer redis) : IPlaybackCache
{
    private const string Prefix = "footage:playback:";

    public string Kind => "valkey";

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Prefix + key);
        return value.HasValue ? (byte[]?)value : null;
    }

    public Task SetAsync(string key, byte[] value, TimeSpan lifetime, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(Prefix + key, value, lifetime);

    public async Task<bool> SwapAsync(string key, byte[]? expected, byte[] value, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        transaction.AddCondition(expected is null ? Condition.KeyNotExists(Prefix + key) : Condition.StringEqual(Prefix + key, expected));
        _ = transaction.StringSetAsync(Prefix + key, value, lifetime);
        return await transaction.ExecuteAsync();
    }

    public async Task<long> GenerationAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync($"{Prefix}gen:{cameraId:N}");
        return value.HasValue ? (long)value : 0;
    }

    public Task BumpGenerationAsync(Guid cameraId, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringIncrementAsync($"{Prefix}gen:{cameraId:N}");
}

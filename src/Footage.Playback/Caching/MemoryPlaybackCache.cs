using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Caching;

/// <summary>The embedded default: a size-bounded in-process cache.</summary>
public sealed class MemoryPlaybackCache(IOptions<PlaybackOptions> options, TimeProvider clock) : IPlaybackCache, IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.MemoryCacheBytes), Clock = new ClockAdapter(clock) });
    private readonly ConcurrentDictionary<Guid, long> _generations = new();
    private readonly Lock _swap = new();

    public string Kind => "memory";

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_cache.TryGetValue(key, out byte[]? value) ? value : null);

    public Task SetAsync(string key, byte[] value, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        _cache.Set(key, value, new MemoryCacheEntryOptions { Size = value.Length + 64, AbsoluteExpirationRelativeToNow = lifetime });
        return Task.CompletedTask;
    }

    public Task<bool> SwapAsync(string key, byte[]? expected, byte[] value, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        lock (_swap)
        {
            var current = _cache.TryGetValue(key, out byte[]? held) ? held : null;
            if (!(current is null ? expected is null : expected is not null && current.AsSpan().SequenceEqual(expected)))
            {
                return Task.FromResult(false);
            }

            _cache.Set(key, value, new MemoryCacheEntryOptions
            {
                Size = value.Length + 64, AbsoluteExpirationRelativeToNow = lifetime, Priority = CacheItemPriority.NeverRemove,
            });
            return Task.FromResult(true);
        }
    }

    public Task<long> GenerationAsync(Guid cameraId, CancellationToken cancellationToken) =>
        Task.FromResult(_generations.GetValueOrDefault(cameraId));

    public Task BumpGenerationAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        _generations.AddOrUpdate(cameraId, 1, (_, g) => g + 1);
        return Task.CompletedTask;
    }

    public void Dispose() => _cache.Dispose();

#pragma warning disable CS0618 // ISystemClock is what MemoryCacheOptions still takes
    private sealed class ClockAdapter(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
#pragma warning restore CS0618
}

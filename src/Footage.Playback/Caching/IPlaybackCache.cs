namespace Footage.Playback.Caching;

/// <summary>
/// Playlists and hot chunks: Valkey (Redis protocol) when configured, so that stateless playback nodes
/// share it, else process memory. Playlist keys carry the camera's generation, which moves whenever the
/// camera's catalog changes, so a playlist built before a deletion is never served after it.
/// </summary>
public interface IPlaybackCache
{
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    Task SetAsync(string key, byte[] value, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <paramref name="key"/> only if it still holds <paramref name="expected"/> (null: nothing), atomically across every node
    /// sharing the cache; false when another writer came first. The entry is never evicted for room, only when its lifetime ends.
    /// </summary>
    Task<bool> SwapAsync(string key, byte[]? expected, byte[] value, TimeSpan lifetime, CancellationToken cancellationToken);

    Task<long> GenerationAsync(Guid cameraId, CancellationToken cancellationToken);

    Task BumpGenerationAsync(Guid cameraId, CancellationToken cancellationToken);

    /// <summary>"memory" or "valkey", for health and metrics.</summary>
    string Kind { get; }
}

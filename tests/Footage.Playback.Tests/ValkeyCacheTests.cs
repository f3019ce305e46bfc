using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Footage.Core.Storage;
using Footage.Testing;
using StackExchange.Redis;
using Xunit;

namespace Footage.Playback.Tests;

/// <summary>With Valkey configured, playlists and chunks are cached there (shared by playback nodes) and dropped on deletion.</summary>
public sealed class ValkeyCacheTests(PostgresServer postgres, RedisServer redis) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _media = new("footage-media");
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await FootageServer.StartAsync(DatabaseKind.Postgres, postgres, new Dictionary<string, string?> { ["Footage:Playback:Redis"] = redis.Configuration });

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _media.Dispose();
    }

    [Fact]
    public async Task Playlists_and_chunks_live_in_valkey_and_a_deletion_retires_the_cached_playlist()
    {
        var camera = Guid.NewGuid();
        var file = await TestMedia.MakeTsAsync(Path.Combine(_media.Path, "a.ts"), 4);
        var bytes = await File.ReadAllBytesAsync(file);
        var key = ObjectKeys.ForSegment(camera, T0);
        await _server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), null, CancellationToken.None);
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = camera, start_time = T0, end_time = T0.AddSeconds(4), size_bytes = bytes.Length, storage_path = key,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)), keyframes = await TestMedia.KeyframesAsync(file),
        })).AssertJsonAsync(HttpStatusCode.Created);

        var url = $"api/v1/playback/{camera}/hls?from=2026-11-22T09:00:00Z&to=2026-11-22T09:00:04Z";
        var playlist = await _server.Admin.GetStringAsync(url);
        var link = playlist.Split('\n').First(l => l.StartsWith("m/", StringComparison.Ordinal));
        Assert.Equal(bytes, await _server.CreateClient().GetByteArrayAsync($"api/v1/playback/{camera}/{link}"));

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var keys = await server.KeysAsync(pattern: "footage:playback:*").Select(k => (string)k!).ToArrayAsync();
        Assert.Contains(keys, k => k.Contains($"playlist:{camera:N}", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains($"chunk:{created.GetProperty("id").GetGuid():N}", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Admin.DeleteAsync($"api/v1/storage/segments/{created.GetProperty("id").GetGuid()}")).StatusCode);
        await (await _server.Admin.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);

        // the live journal of a camera is in Valkey too, where every playback node finds it: a live playlist fetched twice
        // lists the same chunks under the same numbers
        var now = DateTimeOffset.UtcNow;
        var recentKey = ObjectKeys.ForSegment(camera, now.AddSeconds(-20));
        await _server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, recentKey, new MemoryStream(bytes), null, CancellationToken.None);
        (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = camera, start_time = now.AddSeconds(-20), end_time = now.AddSeconds(-16), size_bytes = bytes.Length, storage_path = recentKey,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)), keyframes = await TestMedia.KeyframesAsync(file),
        })).EnsureSuccessStatusCode();
        var live = await _server.Admin.GetStringAsync($"api/v1/playback/{camera}/hls");
        Assert.Equal(live, await _server.Admin.GetStringAsync($"api/v1/playback/{camera}/hls"));
        Assert.Contains(await server.KeysAsync(pattern: "footage:playback:*").Select(k => (string)k!).ToArrayAsync(), k => k.Contains($"live-journal:{camera:N}", StringComparison.Ordinal));

        var health = await _server.CreateClient().GetFromJsonAsync<System.Text.Json.JsonElement>("health");
        Assert.Equal("valkey", health.GetProperty("checks").GetProperty("playback_cache").GetProperty("description").GetString());
    }
}

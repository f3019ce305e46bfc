using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Testing;

namespace Footage.Storage.Tests.Backends;

/// <summary>Stores bytes as a recording through a host's backend and registers them the way a recorder does.</summary>
public static class StoredSegments
{
    /// <summary>Uploads <paramref name="content"/> to the backend (the default one unless named) and registers it; returns the created segment.</summary>
    public static async Task<JsonElement> StoreAndRegisterAsync(
        FootageServer server, Guid camera, DateTimeOffset start, DateTimeOffset end, byte[] content, string? backendName = null, long[][]? keyframes = null)
    {
        var registry = server.Get<IStorageBackendRegistry>();
        var backend = backendName is null ? registry.Default : registry.Get(backendName);
        var path = ObjectKeys.ForSegment(camera, start);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var stored = await backend.PutAsync(StorageBuckets.Recordings, path, new MemoryStream(content), sha256, CancellationToken.None);
        var response = await server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = camera,
            start_time = start,
            end_time = end,
            size_bytes = stored.Size,
            storage_backend = backend.Name,
            storage_path = path,
            checksum = stored.Sha256,
            keyframes,
        });
        return await response.AssertJsonAsync(HttpStatusCode.Created);
    }

    /// <summary>Now, as the tests' wall clock, truncated to whole seconds.</summary>
    public static DateTimeOffset Now()
    {
        var now = TimeProvider.System.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}

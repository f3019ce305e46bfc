using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Data;
using Footage.Storage.Retention;
using Footage.Storage.Tests.Backends;
using Footage.Storage.Tests.Exports;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Storage.Tests.Retention;

/// <summary>A host per test with its own database and storage, and the helpers the retention tests share.</summary>
public abstract class RetentionTestBase(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly DateTimeOffset _now = StoredSegments.Now();

    /// <summary>The test's wall-clock now, on a whole second.</summary>
    protected DateTimeOffset Now => _now;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    /// <summary>Disposed after the test, in the reverse order of ownership (a host before the server it talks to).</summary>
    protected void Own(IAsyncDisposable resource) => _owned.Add(resource);

    protected async Task<FootageServer> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var server = await FootageServer.StartAsync(database, postgres, settings, services);
        _owned.Add(server);
        return server;
    }

    protected DateTimeOffset DaysAgo(int days) => _now.AddDays(-days);

    protected static Guid Id(JsonElement segment) => segment.GetProperty("id").GetGuid();

    protected static async Task<JsonElement> RunAsync(FootageServer server) =>
        await (await server.Admin.PostAsync("api/v1/storage/retention/run", null)).AssertJsonAsync(HttpStatusCode.OK);

    protected static Task<JsonElement> StoreAsync(FootageServer server, Guid camera, DateTimeOffset start) =>
        StoredSegments.StoreAndRegisterAsync(server, camera, start, start.AddMinutes(10), System.Text.Encoding.UTF8.GetBytes($"segment {camera} {start:O}"));

    /// <summary>Recent segments an hour apart, oldest first, alternating between two cameras.</summary>
    protected async Task<IReadOnlyList<JsonElement>> StoreHourlyAsync(FootageServer server, int count, int size)
    {
        var cameras = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var stored = new List<JsonElement>();
        for (var i = 0; i < count; i++)
        {
            var start = _now.AddHours(i - count - 1);
            var content = new byte[size];
            new Random(i).NextBytes(content);
            stored.Add(await StoredSegments.StoreAndRegisterAsync(server, cameras[i % 2], start, start.AddMinutes(10), content));
        }

        return stored;
    }

    protected static async Task AssertGoneAsync(FootageServer server, params JsonElement[] segments)
    {
        var backend = server.Get<IStorageBackendRegistry>();
        foreach (var segment in segments)
        {
            await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(segment)}")).AssertProblemAsync(HttpStatusCode.NotFound);
            var stat = await backend.Get(segment.GetProperty("storage_backend").GetString()!)
                .StatAsync(StorageBuckets.Recordings, segment.GetProperty("storage_path").GetString()!, CancellationToken.None);
            Assert.True(stat is null, $"the object of deleted segment {segment.GetProperty("start_time")} is still stored");
        }
    }

    /// <summary>The row is there and so is its object (where the row says it is now: a held segment moved to its held copy).</summary>
    protected static async Task AssertKeptAsync(FootageServer server, params JsonElement[] segments)
    {
        var backend = server.Get<IStorageBackendRegistry>();
        foreach (var segment in segments)
        {
            var response = await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(segment)}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"segment {segment.GetProperty("start_time")} was deleted");
            var now = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.NotNull(await backend.Get(now.GetProperty("storage_backend").GetString()!)
                .StatAsync(now.GetProperty("storage_bucket").GetString()!, now.GetProperty("storage_path").GetString()!, CancellationToken.None));
        }
    }

    /// <summary>Thumbnails are written by the recorder, which has no API for it: a row and an object as it leaves them.</summary>
    protected static async Task<string> InsertThumbnailAsync(FootageServer server, Guid camera, DateTimeOffset capturedAt)
    {
        var backend = server.Get<IStorageBackendRegistry>().Default;
        var path = ObjectKeys.ForThumbnail(camera, capturedAt);
        var stored = await backend.PutAsync(StorageBuckets.Thumbnails, path, new MemoryStream([0xFF, 0xD8, 0xFF, 0xD9]), null, CancellationToken.None);
        var db = server.Get<IDatabase>();
        var d = db.Dialect;
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(
                "INSERT INTO thumbnails (id, camera_id, captured_at, storage_backend, storage_path, size_bytes, created_at) VALUES (@id, @camera, @at, @backend, @path, @size, @at)")
            .With("id", d.Id(Guid.NewGuid())).With("camera", d.Id(camera)).With("at", d.Time(capturedAt)).With("backend", backend.Name)
            .With("path", path).With("size", stored.Size);
        await command.ExecuteNonQueryAsync();
        return path;
    }

    protected static async Task<string[]> ThumbnailPathsAsync(FootageServer server, Guid camera)
    {
        var db = server.Get<IDatabase>();
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var command = connection.Command("SELECT storage_path FROM thumbnails WHERE camera_id = @camera").With("camera", db.Dialect.Id(camera));
        await using var reader = await command.ExecuteReaderAsync();
        var paths = new List<string>();
        while (await reader.ReadAsync())
        {
            paths.Add(reader.GetString(0));
        }

        return paths.ToArray();
    }

    protected static async Task<int> CountAsync(IAsyncEnumerable<ObjectInfo> objects)
    {
        var count = 0;
        await foreach (var _ in objects)
        {
            count++;
        }

        return count;
    }

    /// <summary>Places holds as an incident would (in the holds record, under an owner of its own), replacing the test's earlier ones.</summary>
    protected static Task<IReadOnlyList<Guid>> HoldAsync(FootageServer server, params SegmentHold[] holds) =>
        server.Get<Holds.SegmentHoldLedger>().ReplaceAsync("test", "holds", holds, CancellationToken.None);
}

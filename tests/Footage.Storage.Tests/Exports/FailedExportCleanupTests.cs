using Footage.Core.Storage;
using Footage.ServiceDefaults;
using Footage.Storage.Backends;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Footage.Storage.Tests.Exports;

public sealed class FailedExportCleanupTests(PostgresServer postgres)
{
    [Fact]
    public async Task An_export_that_fails_after_uploading_its_file_leaves_nothing_in_the_exports_bucket()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, services: services =>
            services.Replace(ServiceDescriptor.Singleton<IStorageBackendRegistry>(sp =>
            {
                var root = Path.Combine(sp.GetRequiredService<IOptions<FootageOptions>>().Value.DataDirectory, "storage");
                return new StorageBackendRegistry([new FailingManifestBackend(new FilesystemBackend(root))], FilesystemBackend.BackendName);
            })));
        var camera = Guid.NewGuid();
        var t0 = Backends.StoredSegments.Now().AddHours(-1);
        await RecordedFootage.RecordAsync(server, camera, t0, count: 2);

        var id = await RecordedFootage.CreateExportAsync(server.Admin, new { camera_ids = new[] { camera }, start_time = t0.AddSeconds(1), end_time = t0.AddSeconds(6) });
        var export = await RecordedFootage.WaitUntilFinishedAsync(server.Admin, id);

        Assert.Equal("FAILED", export.GetProperty("status").GetString());
        Assert.Contains("object store went away", export.GetProperty("error").GetString());
        var left = new List<ObjectInfo>();
        await foreach (var item in server.Get<IStorageBackendRegistry>().Default.ListAsync(StorageBuckets.Exports, $"{id:D}/", CancellationToken.None))
        {
            left.Add(item);
        }

        Assert.Empty(left);
    }
}

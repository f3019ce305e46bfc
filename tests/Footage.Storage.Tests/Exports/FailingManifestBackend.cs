using System.Runtime.CompilerServices;
using Footage.Core.Storage;

namespace Footage.Storage.Tests.Exports;

/// <summary>A real backend whose writes of export manifests fail, as an object store that goes down mid-export would.</summary>
internal sealed class FailingManifestBackend(IStorageBackend inner) : IStorageBackend
{
    public string Name => inner.Name;

    public Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? expectedSha256, CancellationToken cancellationToken) =>
        bucket == StorageBuckets.Exports && key.EndsWith("manifest.json", StringComparison.Ordinal)
            ? throw new IOException("the object store went away")
            : inner.PutAsync(bucket, key, content, expectedSha256, cancellationToken);

    public Task<ObjectRead?> OpenReadAsync(string bucket, string key, ByteRange? range, CancellationToken cancellationToken) =>
        inner.OpenReadAsync(bucket, key, range, cancellationToken);

    public Task<ObjectInfo?> StatAsync(string bucket, string key, CancellationToken cancellationToken) => inner.StatAsync(bucket, key, cancellationToken);

    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken) => inner.DeleteAsync(bucket, key, cancellationToken);

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in inner.ListAsync(bucket, prefix, cancellationToken))
        {
            yield return item;
        }
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

    public long? GetAvailableFreeBytes() => inner.GetAvailableFreeBytes();
}

using Footage.Core.Storage;
using Footage.Storage.Tests.Backends;

namespace Footage.Storage.Tests.Exports;

/// <summary>A real backend whose writes of export manifests fail, as an object store that goes down mid-export would.</summary>
internal sealed class FailingManifestBackend(IStorageBackend inner) : DelegatingBackend(inner)
{
    public override Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? expectedSha256, CancellationToken cancellationToken) =>
        bucket == StorageBuckets.Exports && key.EndsWith("manifest.json", StringComparison.Ordinal)
            ? throw new IOException("the object store went away")
            : base.PutAsync(bucket, key, content, expectedSha256, cancellationToken);
}

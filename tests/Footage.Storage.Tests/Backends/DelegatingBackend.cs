using System.Runtime.CompilerServices;
using Footage.Core.Storage;

namespace Footage.Storage.Tests.Backends;

/// <summary>A real backend passed through unchanged; a test overrides the one call it wants to make misbehave.</summary>
internal abstract class DelegatingBackend(IStorageBackend inner) : IStorageBackend
{
    public string Name => inner.Name;

    public virtual Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? expectedSha256, CancellationToken cancellationToken) =>
        inner.PutAsync(bucket, key, content, expectedSha256, cancellationToken);

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

    public virtual long? GetAvailableFreeBytes() => inner.GetAvailableFreeBytes();
}

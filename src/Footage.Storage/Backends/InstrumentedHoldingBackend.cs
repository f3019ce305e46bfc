using Footage.Core.Storage;

namespace Footage.Storage.Backends;

/// <summary>An instrumented backend that keeps held footage in the store itself (<see cref="IHoldingStore"/>).</summary>
public sealed class InstrumentedHoldingBackend(IStorageBackend inner) : InstrumentedBackend(inner), IHoldingStore
{
    private readonly IHoldingStore _store = (IHoldingStore)inner;

    public Task<ObjectInfo?> CopyAsync(string fromBucket, string fromKey, string toBucket, string toKey, CancellationToken cancellationToken) =>
        Measure("copy", () => _store.CopyAsync(fromBucket, fromKey, toBucket, toKey, cancellationToken));

    public Task<bool> SetHoldAsync(string bucket, string key, bool held, CancellationToken cancellationToken) =>
        Measure("hold", () => _store.SetHoldAsync(bucket, key, held, cancellationToken));
}

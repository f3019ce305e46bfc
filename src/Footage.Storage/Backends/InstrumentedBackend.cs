using System.Diagnostics;
using System.Runtime.CompilerServices;
using Footage.Core.Storage;

namespace Footage.Storage.Backends;

/// <summary>Counts requests, bytes, errors and latency of any backend (a decorator, so each backend stays plain).</summary>
public class InstrumentedBackend(IStorageBackend inner) : IStorageBackend, ILocalFileStore
{
    /// <summary>The instrumented backend, holding footage in the store when <paramref name="backend"/> can.</summary>
    public static InstrumentedBackend For(IStorageBackend backend) =>
        backend is IHoldingStore ? new InstrumentedHoldingBackend(backend) : new InstrumentedBackend(backend);

    public IStorageBackend Inner => inner;

    public string Name => inner.Name;

    public async Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? expectedSha256, CancellationToken cancellationToken)
    {
        var stored = await Measure("put", () => inner.PutAsync(bucket, key, content, expectedSha256, cancellationToken));
        StorageMetrics.BackendBytes.WithLabels(Name, "write").Inc(stored.Size);
        return stored;
    }

    public async Task<StoredObject> PutFileAsync(string bucket, string key, string path, string sha256, CancellationToken cancellationToken)
    {
        var stored = await Measure("put", () => inner.PutFileAsync(bucket, key, path, sha256, cancellationToken));
        StorageMetrics.BackendBytes.WithLabels(Name, "write").Inc(stored.Size);
        return stored;
    }

    public async Task<ObjectRead?> OpenReadAsync(string bucket, string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var read = await Measure("get", () => inner.OpenReadAsync(bucket, key, range, cancellationToken));
        if (read is not null)
        {
            StorageMetrics.BackendBytes.WithLabels(Name, "read").Inc(read.ContentLength);
        }

        return read;
    }

    public Task<ObjectInfo?> StatAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Measure("stat", () => inner.StatAsync(bucket, key, cancellationToken));

    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Measure("delete", async () =>
        {
            await inner.DeleteAsync(bucket, key, cancellationToken);
            return true;
        });

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StorageMetrics.BackendRequests.WithLabels(Name, "list", "ok").Inc();
        await foreach (var item in inner.ListAsync(bucket, prefix, cancellationToken))
        {
            yield return item;
        }
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

    public long? GetAvailableFreeBytes() => inner.GetAvailableFreeBytes();

    protected async Task<T> Measure<T>(string operation, Func<Task<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await action();
            StorageMetrics.BackendRequests.WithLabels(Name, operation, "ok").Inc();
            return result;
        }
        catch
        {
            StorageMetrics.BackendRequests.WithLabels(Name, operation, "error").Inc();
            throw;
        }
        finally
        {
            StorageMetrics.BackendLatency.WithLabels(Name, operation).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}

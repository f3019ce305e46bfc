namespace Footage.Core.Storage;

/// <summary>
/// An object store with the spec's buckets: the filesystem, any S3 API, later Milestone. Writes are atomic
/// (nothing is visible under the key until the whole object is there) and verified by SHA-256.
/// </summary>
public interface IStorageBackend
{
    /// <summary>The name stored in <c>segments.storage_backend</c>: "filesystem", "s3", ...</summary>
    string Name { get; }

    /// <summary>Writes the stream under the key; when <paramref name="expectedSha256"/> is given and differs, nothing is kept.</summary>
    Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? expectedSha256, CancellationToken cancellationToken);

    /// <summary>Opens the object, or a byte range of it; null when there is no such object.</summary>
    Task<ObjectRead?> OpenReadAsync(string bucket, string key, ByteRange? range, CancellationToken cancellationToken);

    Task<ObjectInfo?> StatAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>Deletes the object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken);

    IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, CancellationToken cancellationToken);

    /// <summary>Throws when the backend cannot be reached or written.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>Free bytes where the backend keeps its data, when it can know (a local disk); null otherwise.</summary>
    long? GetAvailableFreeBytes();
}

namespace Footage.Core.Storage;

/// <summary>
/// A backend that can keep held footage in the store itself: a copy made inside the store (S3 CopyObject, a hard link on
/// a filesystem) and a hold on that copy that the store enforces (an S3 Object Lock legal hold, a read-only file).
/// </summary>
public interface IHoldingStore
{
    /// <summary>
    /// Copies an object inside the store, create-only: an existing target with the same bytes is taken as an earlier copy,
    /// other bytes are an <see cref="ObjectExistsException"/>. Returns the target, or null when the source is missing.
    /// </summary>
    Task<ObjectInfo?> CopyAsync(string fromBucket, string fromKey, string toBucket, string toKey, CancellationToken cancellationToken);

    /// <summary>Sets or releases the store's hold on the object; false when the store cannot enforce one there (a bucket without object lock).</summary>
    Task<bool> SetHoldAsync(string bucket, string key, bool held, CancellationToken cancellationToken);
}

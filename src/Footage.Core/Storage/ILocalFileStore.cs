namespace Footage.Core.Storage;

/// <summary>
/// A backend that can store a local file whose SHA-256 the caller has already computed from that very file
/// (the recorder hashes each segment while scanning it), without reading and hashing it a second time: the
/// filesystem backend links the file into place when it is on the same disk, S3 sends it with the known hash.
/// </summary>
public interface ILocalFileStore
{
    /// <summary>Stores the closed, unchanging file at <paramref name="path"/> under the key; the caller vouches for <paramref name="sha256"/>.</summary>
    Task<StoredObject> PutFileAsync(string bucket, string key, string path, string sha256, CancellationToken cancellationToken);
}

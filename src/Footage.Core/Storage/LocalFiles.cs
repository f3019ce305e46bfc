namespace Footage.Core.Storage;

/// <summary>Storing a local file through any backend: the backend's own way when it has one, else a verified stream write.</summary>
public static class LocalFiles
{
    public static async Task<StoredObject> PutFileAsync(this IStorageBackend backend, string bucket, string key, string path, string sha256, CancellationToken cancellationToken)
    {
        if (backend is ILocalFileStore files)
        {
            return await files.PutFileAsync(bucket, key, path, sha256, cancellationToken);
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await backend.PutAsync(bucket, key, stream, sha256, cancellationToken);
    }
}

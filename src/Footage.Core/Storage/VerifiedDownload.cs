using System.Security.Cryptography;

namespace Footage.Core.Storage;

/// <summary>Copies a stored object to a local file, checking it against the SHA-256 the catalog recorded.</summary>
public static class VerifiedDownload
{
    /// <summary>False when the object is missing; throws <see cref="ChecksumMismatchException"/> when its bytes changed.</summary>
    public static async Task<bool> ToFileAsync(IStorageBackend backend, string bucket, string key, string? expectedSha256, string localPath, CancellationToken cancellationToken)
    {
        await using var read = await backend.OpenReadAsync(bucket, key, null, cancellationToken);
        if (read is null)
        {
            return false;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(localPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await read.Content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (expectedSha256 is not null && !string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ChecksumMismatchException(key, expectedSha256, actual);
        }

        return true;
    }
}

using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Footage.Core.Storage;

namespace Footage.Storage.Backends;

/// <summary>
/// Buckets as folders under one root, keys as relative paths. A write goes to a temporary file in the
/// bucket's <c>.tmp</c> folder (same disk), is flushed and hashed, and is put into place only when
/// complete and verified, so a reader never sees half an object. A local file whose hash the caller already
/// knows (a recorded segment) is hard-linked into place instead when it is on the same disk: no copy at all.
/// In the footage buckets (<see cref="StorageBuckets.IsWriteOnce"/>) the file is put into place with link(2), which
/// never replaces an existing name, so stored footage is never overwritten. Held copies are hard links made read-only.
/// </summary>
public sealed class FilesystemBackend : IStorageBackend, ILocalFileStore, IHoldingStore
{
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Writable = ReadOnly | UnixFileMode.UserWrite;
    public const string BackendName = "filesystem";
    private const string TempFolder = ".tmp";
    private readonly string _root;

    public FilesystemBackend(string root)
    {
        _root = Path.GetFullPath(root);
        foreach (var bucket in StorageBuckets.All)
        {
            Directory.CreateDirectory(Path.Combine(_root, bucket, TempFolder));
        }
    }

    public string Name => BackendName;

    public string Root => _root;

    public async Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? expectedSha256, CancellationToken cancellationToken)
    {
        var path = PathOf(bucket, key);
        var temp = Path.Combine(BucketFolder(bucket), TempFolder, $"{Guid.NewGuid():N}.part");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        try
        {
            string sha256;
            long size;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                RandomAccess.FlushToDisk(file.SafeFileHandle);
                size = file.Length;
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            if (expectedSha256 is not null && !string.Equals(expectedSha256, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ChecksumMismatchException(key, expectedSha256, sha256);
            }

            return await PlaceAsync(bucket, key, temp, path, new StoredObject(key, size, sha256), cancellationToken);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public async Task<StoredObject> PutFileAsync(string bucket, string key, string path, string sha256, CancellationToken cancellationToken)
    {
        var target = PathOf(bucket, key);
        var temp = Path.Combine(BucketFolder(bucket), TempFolder, $"{Guid.NewGuid():N}.part");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        if (!HardLinks.TryCreate(path, temp))
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return await PutAsync(bucket, key, stream, sha256, cancellationToken);
        }

        try
        {
            long size;
            await using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            {
                // whoever wrote the file may not have synced it: the object must be on disk before it is registered
                RandomAccess.FlushToDisk(file.SafeFileHandle);
                size = file.Length;
            }

            return await PlaceAsync(bucket, key, temp, target, new StoredObject(key, size, sha256.ToLowerInvariant()), cancellationToken);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public async Task<ObjectRead?> OpenReadAsync(string bucket, string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var path = PathOf(bucket, key);
        FileStream? stream;
        try
        {
#pragma warning disable CA2000 // handed to the caller in the ObjectRead, or disposed in the finally below when anything fails first
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
#pragma warning restore CA2000
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            var length = stream.Length;
            var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            ObjectRead read;
            if (range is { } r)
            {
                stream.Seek(r.From, SeekOrigin.Begin);
                read = new ObjectRead(new BoundedStream(stream, r.Length), length, r, modified);
            }
            else
            {
                read = new ObjectRead(stream, length, null, modified);
            }

            stream = null; // the caller's now
            return read;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }
    }

    public Task<ObjectInfo?> StatAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(bucket, key));
        return Task.FromResult(info.Exists ? new ObjectInfo(key, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)) : null);
    }

    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var path = PathOf(bucket, key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.CompletedTask; // its folder is gone too: nothing to delete
        }

        RemoveEmptyParents(Path.GetDirectoryName(path)!, BucketFolder(bucket));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folder = BucketFolder(bucket);
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (key.StartsWith(TempFolder + "/", StringComparison.Ordinal) || !key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var info = new FileInfo(file);
            yield return new ObjectInfo(key, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
            await Task.Yield();
        }
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(BucketFolder(StorageBuckets.Recordings), TempFolder, $"health-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(probe, [1], cancellationToken);
        File.Delete(probe);
    }

    public long? GetAvailableFreeBytes() => new DriveInfo(_root).AvailableFreeSpace;

    private string BucketFolder(string bucket)
    {
        if (!StorageBuckets.All.Contains(bucket))
        {
            throw new ArgumentException($"Unknown bucket '{bucket}'.", nameof(bucket));
        }

        return Path.Combine(_root, bucket);
    }

    /// <summary>The file of a key; refuses any key that could leave the bucket folder.</summary>
    private string PathOf(string bucket, string key)
    {
        if (!ObjectKeys.IsSafe(key, out var reason))
        {
            throw new ArgumentException($"Object key '{key}' {reason}.", nameof(key));
        }

        var folder = BucketFolder(bucket);
        var path = Path.GetFullPath(Path.Combine(folder, key));
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Object key '{key}' leaves its bucket.", nameof(key));
        }

        return path;
    }

    public async Task<ObjectInfo?> CopyAsync(string fromBucket, string fromKey, string toBucket, string toKey, CancellationToken cancellationToken)
    {
        var source = PathOf(fromBucket, fromKey);
        var target = PathOf(toBucket, toKey);
        var info = new FileInfo(source);
        if (!info.Exists)
        {
            return null;
        }

        var temp = Path.Combine(BucketFolder(toBucket), TempFolder, $"{Guid.NewGuid():N}.part");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        try
        {
            if (!HardLinks.TryCreate(source, temp))
            {
                File.Copy(source, temp);
            }

            var stored = await PlaceAsync(toBucket, toKey, temp, target, null, cancellationToken);
            return new ObjectInfo(toKey, stored.Size, new DateTimeOffset(File.GetLastWriteTimeUtc(target), TimeSpan.Zero));
        }
        catch (FileNotFoundException)
        {
            return null; // deleted meanwhile
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public Task<bool> SetHoldAsync(string bucket, string key, bool held, CancellationToken cancellationToken)
    {
        var path = PathOf(bucket, key);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, held ? File.GetAttributes(path) | FileAttributes.ReadOnly : File.GetAttributes(path) & ~FileAttributes.ReadOnly);
        }
        else
        {
            File.SetUnixFileMode(path, held ? ReadOnly : Writable);
        }

        return Task.FromResult(true);
    }

    /// <summary>
    /// Puts the finished temporary file under its key. Write-once buckets: link(2), which fails rather than replace; an
    /// existing object with the same bytes is an earlier write of this one (a retry), other bytes are an
    /// <see cref="ObjectExistsException"/>. Other buckets: a rename that replaces.
    /// </summary>
    /// <param name="written">The temporary file's size and hash, or null to take them from the file when needed.</param>
    private static async Task<StoredObject> PlaceAsync(string bucket, string key, string temp, string path, StoredObject? written, CancellationToken cancellationToken)
    {
        if (!StorageBuckets.IsWriteOnce(bucket))
        {
            MoveIntoPlace(temp, path);
            return written ?? await HashFileAsync(key, path, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var result = HardLinks.Create(temp, path);
            if (result == HardLinks.Result.MissingFolder && attempt < 5)
            {
                continue; // RemoveEmptyParents of a concurrent delete took the folder between the two calls
            }

            if (result == HardLinks.Result.Created)
            {
                return written ?? await HashFileAsync(key, path, cancellationToken);
            }

            if (result == HardLinks.Result.NotSupported)
            {
                try
                {
                    File.Move(temp, path, overwrite: false);
                    return written ?? await HashFileAsync(key, path, cancellationToken);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // there already: compared below
                }
            }

            break;
        }

        var ours = written ?? await HashFileAsync(key, temp, cancellationToken);
        var existing = await HashFileAsync(key, path, cancellationToken);
        if (existing.Size == ours.Size && existing.Sha256 == ours.Sha256)
        {
            return existing;
        }

        throw new ObjectExistsException(bucket, key, existing.Sha256);
    }

    private static async Task<StoredObject> HashFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
        }

        return new StoredObject(key, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Renames the finished file to its key; a delete emptying the folder at that moment removes it, so create it again and retry.</summary>
    private static void MoveIntoPlace(string temp, string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                File.Move(temp, path, overwrite: true);
                return;
            }
            catch (DirectoryNotFoundException) when (attempt < 5 && File.Exists(temp))
            {
                // RemoveEmptyParents of a concurrent delete took the folder between the two calls
            }
        }
    }

    private static void RemoveEmptyParents(string folder, string stopAt)
    {
        try
        {
            while (folder.Length > stopAt.Length && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
                folder = Path.GetDirectoryName(folder)!;
            }
        }
        catch (IOException)
        {
            // another writer just put a file there: the folder stays, which is right
        }
    }
}

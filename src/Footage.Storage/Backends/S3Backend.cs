using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Footage.Core.Storage;
using ByteRange = Footage.Core.Storage.ByteRange;

namespace Footage.Storage.Backends;

/// <summary>
/// Any S3 API (MinIO, AWS, Ceph RGW), path-style by default. A single PUT or a completed multipart upload
/// is atomic in S3, so a reader never sees half an object. The SHA-256 is computed from the source before
/// sending and checked against the caller's; the transfer itself is protected by Content-MD5, and the
/// object's size is checked after the write. A local file whose SHA-256 the caller already computed is sent
/// with that hash (only its Content-MD5 is computed here). The buckets are made by the Storage service at start
/// (<see cref="Buckets.BucketProvisioner"/>), not here: a recorder or player may not be allowed to.
/// In the footage buckets (<see cref="StorageBuckets.IsWriteOnce"/>) writes are create-only: a HEAD first (an existing
/// object with the same bytes is a retry, other bytes an <see cref="ObjectExistsException"/>), then the PUT or the
/// completion of a multipart upload with <c>If-None-Match: *</c>, which servers that support conditional writes enforce
/// atomically (AWS, MinIO, Ceph RGW for single PUTs into unversioned buckets); where a server ignores it, the HEAD, made
/// under the camera's lease that lets only one recorder write a camera's keys, is the check. Held copies are made with
/// CopyObject and held with an Object Lock legal hold where the bucket has object lock.
/// </summary>
public sealed class S3Backend : IStorageBackend, ILocalFileStore, IHoldingStore, IDisposable
{
    public const string BackendName = "s3";

    /// <summary>CopyObject copies up to 5 GiB in one request; larger objects are copied in parts.</summary>
    private const long MaxSingleCopy = 5L * 1024 * 1024 * 1024;
    private readonly AmazonS3Client _client;
    private readonly S3BackendOptions _options;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _versioned = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _lockable = new(StringComparer.Ordinal);
    private volatile bool _conditionalWritesRefused;

    public S3Backend(S3BackendOptions options)
    {
        _options = options;
        _client = S3ClientFactory.Create(options);
    }

    public string Name => BackendName;

    public Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? expectedSha256, CancellationToken cancellationToken) =>
        ReachAsync("writing", bucket, () => PutCoreAsync(bucket, key, content, expectedSha256, knownSha256: false, cancellationToken), cancellationToken);

    public Task<StoredObject> PutFileAsync(string bucket, string key, string path, string sha256, CancellationToken cancellationToken) =>
        ReachAsync("writing", bucket, async () =>
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return await PutCoreAsync(bucket, key, file, sha256.ToLowerInvariant(), knownSha256: true, cancellationToken);
        }, cancellationToken);

    public Task<ObjectRead?> OpenReadAsync(string bucket, string key, ByteRange? range, CancellationToken cancellationToken) =>
        ReachAsync("reading", bucket, () => OpenReadCoreAsync(bucket, key, range, cancellationToken), cancellationToken);

    public Task<ObjectInfo?> StatAsync(string bucket, string key, CancellationToken cancellationToken) =>
        ReachAsync("reading", bucket, () => StatCoreAsync(bucket, key, cancellationToken), cancellationToken);

    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken) =>
        ReachAsync("deleting", bucket, async () =>
        {
            await DeleteCoreAsync(bucket, key, cancellationToken);
            return true;
        }, cancellationToken);

    private async Task<StoredObject> PutCoreAsync(string bucket, string key, Stream content, string? expectedSha256, bool knownSha256, CancellationToken cancellationToken)
    {
        EnsureSafe(key);
        string? spool = null;
        var source = content;
        try
        {
            if (!content.CanSeek)
            {
                spool = Path.Combine(Path.GetTempPath(), $"footage-s3-{Guid.NewGuid():N}.part");
#pragma warning disable CA2000 // disposed in the finally below (the spool path says it is ours)
                source = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
#pragma warning restore CA2000
                await content.CopyToAsync(source, cancellationToken);
                source.Position = 0;
            }

            var start = source.Position;
            var (hashed, md5, size) = await HashAsync(source, withSha256: !knownSha256, cancellationToken);
            var sha256 = knownSha256 ? expectedSha256! : hashed!;
            if (expectedSha256 is not null && !string.Equals(expectedSha256, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ChecksumMismatchException(key, expectedSha256, sha256);
            }

            var createOnly = StorageBuckets.IsWriteOnce(bucket);
            if (createOnly && await ExistingAsync(bucket, key, size, sha256, cancellationToken) is { } earlier)
            {
                return earlier;
            }

            source.Position = start;
            try
            {
                await UploadAsync(bucket, key, source, size, sha256, md5, createOnly, cancellationToken);
            }
            catch (AmazonS3Exception e) when (createOnly && e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                // written by someone else between our HEAD and our PUT: the server refused to replace it
                return await ExistingAsync(bucket, key, size, sha256, cancellationToken)
                       ?? throw new IOException($"S3 refused to create '{bucket}/{key}' (412) but it is not there.", e);
            }

            var stored = await StatAsync(bucket, key, cancellationToken);
            if (stored is null || stored.Size != size)
            {
                throw new IOException($"S3 object '{bucket}/{key}' has {stored?.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} bytes after writing {size}.");
            }

            return new StoredObject(key, size, sha256);
        }
        finally
        {
            if (spool is not null)
            {
                await source.DisposeAsync();
            }
        }
    }

    private async Task<ObjectRead?> OpenReadCoreAsync(string bucket, string key, ByteRange? range, CancellationToken cancellationToken)
    {
        EnsureSafe(key);
        var request = new GetObjectRequest { BucketName = bucket, Key = key };
        if (range is { } r)
        {
            request.ByteRange = new Amazon.S3.Model.ByteRange(r.From, r.To);
        }

        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(request, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var total = response.ContentLength;
        var contentRange = response.ContentRange;
        if (range is not null && contentRange is not null && contentRange.LastIndexOf('/') is var slash and > 0 &&
            long.TryParse(contentRange[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            total = parsed;
        }

        var modified = response.LastModified is { } lm ? new DateTimeOffset(DateTime.SpecifyKind(lm, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;
        return new ObjectRead(new ResponseStream(response), total, range, modified);
    }

    private async Task<ObjectInfo?> StatCoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        EnsureSafe(key);
        try
        {
            var response = await _client.GetObjectMetadataAsync(bucket, key, cancellationToken);
            var modified = response.LastModified is { } lm ? new DateTimeOffset(DateTime.SpecifyKind(lm, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;
            return new ObjectInfo(key, response.ContentLength, modified);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task DeleteCoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        EnsureSafe(key);
        try
        {
            if (!await IsVersionedAsync(bucket, cancellationToken))
            {
                await _client.DeleteObjectAsync(bucket, key, cancellationToken);
                return;
            }

            // a plain DELETE in a versioned bucket only adds a delete marker and keeps the bytes: remove every version
            foreach (var version in await VersionsAsync(bucket, key, cancellationToken))
            {
                await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, VersionId = version }, cancellationToken);
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // already gone
        }
    }

    public Task<ObjectInfo?> CopyAsync(string fromBucket, string fromKey, string toBucket, string toKey, CancellationToken cancellationToken) =>
        ReachAsync("copying", toBucket, () => CopyCoreAsync(fromBucket, fromKey, toBucket, toKey, cancellationToken), cancellationToken);

    public Task<bool> SetHoldAsync(string bucket, string key, bool held, CancellationToken cancellationToken) =>
        ReachAsync("holding", bucket, async () =>
        {
            EnsureSafe(key);
            if (!await IsLockableAsync(bucket, cancellationToken))
            {
                return false;
            }

            var versions = await VersionsAsync(bucket, key, cancellationToken, withDeleteMarkers: false);
            foreach (var version in versions)
            {
                await _client.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest
                {
                    BucketName = bucket,
                    Key = key,
                    VersionId = version,
                    LegalHold = new ObjectLockLegalHold { Status = held ? ObjectLockLegalHoldStatus.On : ObjectLockLegalHoldStatus.Off },
                }, cancellationToken);
            }

            return versions.Count > 0;
        }, cancellationToken);

    private async Task<ObjectInfo?> CopyCoreAsync(string fromBucket, string fromKey, string toBucket, string toKey, CancellationToken cancellationToken)
    {
        EnsureSafe(fromKey);
        EnsureSafe(toKey);
        var source = await StatCoreAsync(fromBucket, fromKey, cancellationToken);
        if (source is null)
        {
            return null;
        }

        if (await StatCoreAsync(toBucket, toKey, cancellationToken) is { } existing)
        {
            // an earlier copy, or other bytes under the key: never replaced
            var (sourceHash, sourceSize) = await HashObjectAsync(fromBucket, fromKey, cancellationToken);
            var (targetHash, targetSize) = await HashObjectAsync(toBucket, toKey, cancellationToken);
            return sourceHash == targetHash && sourceSize == targetSize ? existing : throw new ObjectExistsException(toBucket, toKey, targetHash);
        }

        if (source.Size <= MaxSingleCopy)
        {
            await _client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = fromBucket, SourceKey = fromKey, DestinationBucket = toBucket, DestinationKey = toKey, MetadataDirective = S3MetadataDirective.COPY,
            }, cancellationToken);
        }
        else
        {
            await CopyInPartsAsync(fromBucket, fromKey, toBucket, toKey, source.Size, cancellationToken);
        }

        var copied = await StatCoreAsync(toBucket, toKey, cancellationToken);
        return copied is not null && copied.Size == source.Size
            ? copied
            : throw new IOException($"S3 copy of '{fromBucket}/{fromKey}' to '{toBucket}/{toKey}' has {copied?.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} bytes, not {source.Size}.");
    }

    private async Task CopyInPartsAsync(string fromBucket, string fromKey, string toBucket, string toKey, long size, CancellationToken cancellationToken)
    {
        const long partSize = 1L << 30;
        var head = await _client.GetObjectMetadataAsync(fromBucket, fromKey, cancellationToken);
        var initiate = new InitiateMultipartUploadRequest { BucketName = toBucket, Key = toKey, ContentType = head.Headers.ContentType };
        foreach (var name in head.Metadata.Keys)
        {
            initiate.Metadata.Add(name, head.Metadata[name]);
        }

        var upload = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            var number = 1;
            for (long from = 0; from < size; from += partSize, number++)
            {
                var part = await _client.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = fromBucket, SourceKey = fromKey, DestinationBucket = toBucket, DestinationKey = toKey, UploadId = upload.UploadId,
                    PartNumber = number, FirstByte = from, LastByte = Math.Min(size, from + partSize) - 1,
                }, cancellationToken);
                parts.Add(new PartETag(number, part.ETag));
            }

            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = toBucket, Key = toKey, UploadId = upload.UploadId, PartETags = parts }, cancellationToken);
        }
        catch
        {
            await TryAbortAsync(toBucket, toKey, upload.UploadId);
            throw;
        }
    }

    /// <summary>The object already under the key when it has exactly these bytes; null when there is none; other bytes throw.</summary>
    private async Task<StoredObject?> ExistingAsync(string bucket, string key, long size, string sha256, CancellationToken cancellationToken)
    {
        if (await StatCoreAsync(bucket, key, cancellationToken) is null)
        {
            return null;
        }

        var (existingHash, existingSize) = await HashObjectAsync(bucket, key, cancellationToken);
        return existingSize == size && string.Equals(existingHash, sha256, StringComparison.OrdinalIgnoreCase)
            ? new StoredObject(key, size, existingHash)
            : throw new ObjectExistsException(bucket, key, existingHash);
    }

    private async Task<(string Sha256, long Size)> HashObjectAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await using var read = await OpenReadCoreAsync(bucket, key, null, cancellationToken)
                               ?? throw new FileNotFoundException($"S3 object '{bucket}/{key}' disappeared while it was compared.");
        var (sha256, _, size) = await HashAsync(read.Content, withSha256: true, cancellationToken);
        return (sha256!, size);
    }

    /// <summary>The version ids of exactly this key (newest first), delete markers included unless told otherwise.</summary>
    private async Task<List<string>> VersionsAsync(string bucket, string key, CancellationToken cancellationToken, bool withDeleteMarkers = true)
    {
        var versions = new List<string>();
        var request = new ListVersionsRequest { BucketName = bucket, Prefix = key };
        while (true)
        {
            var response = await _client.ListVersionsAsync(request, cancellationToken);
            versions.AddRange((response.Versions ?? [])
                .Where(v => v.Key == key && (withDeleteMarkers || v.IsDeleteMarker != true) && v.VersionId is not null)
                .Select(v => v.VersionId));
            if (response.IsTruncated != true)
            {
                return versions;
            }

            request.KeyMarker = response.NextKeyMarker;
            request.VersionIdMarker = response.NextVersionIdMarker;
        }
    }

    private async Task<bool> IsVersionedAsync(string bucket, CancellationToken cancellationToken)
    {
        if (_versioned.TryGetValue(bucket, out var known))
        {
            return known;
        }

        bool versioned;
        try
        {
            var status = (await _client.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, cancellationToken)).VersioningConfig?.Status;
            versioned = status == VersionStatus.Enabled || status == VersionStatus.Suspended;
        }
        catch (AmazonS3Exception e) when (IsUnsupported(e))
        {
            versioned = false; // a server without versioning
        }

        return _versioned[bucket] = versioned;
    }

    private async Task<bool> IsLockableAsync(string bucket, CancellationToken cancellationToken)
    {
        if (_lockable.TryGetValue(bucket, out var known))
        {
            return known;
        }

        bool lockable;
        try
        {
            var configuration = await _client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }, cancellationToken);
            lockable = configuration.ObjectLockConfiguration?.ObjectLockEnabled == ObjectLockEnabled.Enabled;
        }
        catch (AmazonS3Exception e) when (IsUnsupported(e))
        {
            lockable = false; // ObjectLockConfigurationNotFoundError, or a server without object lock
        }

        return _lockable[bucket] = lockable;
    }

    /// <summary>A refusal that means the server or bucket lacks the feature (not that the bucket is missing or the server down).</summary>
    private static bool IsUnsupported(AmazonS3Exception e) =>
        e.ErrorCode != "NoSuchBucket" && ((int)e.StatusCode is >= 400 and < 500 || e.StatusCode == HttpStatusCode.NotImplemented);

    private async Task TryAbortAsync(string bucket, string key, string uploadId)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(bucket, key, uploadId, CancellationToken.None);
        }
        catch (Exception)
        {
            // not every S3-compatible server can abort; an unfinished upload is never visible under the key
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, MaxKeys = 1000 };
        while (true)
        {
            var response = await ReachAsync("listing", bucket, () => _client.ListObjectsV2Async(request, cancellationToken), cancellationToken);
            foreach (var o in response.S3Objects ?? [])
            {
                var modified = o.LastModified is { } lm ? new DateTimeOffset(DateTime.SpecifyKind(lm, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;
                yield return new ObjectInfo(o.Key, o.Size ?? 0, modified);
            }

            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    /// <summary>Lists the recordings bucket: the store answers, this identity's credentials are accepted and it may read.</summary>
    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        ReachAsync("listing", StorageBuckets.Recordings,
            () => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = StorageBuckets.Recordings, MaxKeys = 1 }, cancellationToken), cancellationToken);

    public long? GetAvailableFreeBytes() => null;

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// A store that cannot be reached, refuses this service's credentials or denies it an operation is an
    /// <see cref="ObjectStoreUnavailableException"/> saying which (a 503 problem at the web layer)
    /// (never a 500, never the store's address); the SDK retries only network errors and 5xx, twice.
    /// </summary>
    private static async Task<T> ReachAsync<T>(string operation, string bucket, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (S3Failures.IsKnown(e, cancellationToken))
        {
            throw S3Failures.Unavailable(e, operation, bucket);
        }
    }

    private async Task UploadAsync(string bucket, string key, Stream source, long size, string sha256, byte[] md5, bool createOnly, CancellationToken cancellationToken)
    {
        var start = source.Position;
        try
        {
            await UploadOnceAsync(bucket, key, source, size, sha256, md5, createOnly && !_conditionalWritesRefused, cancellationToken);
        }
        catch (AmazonS3Exception e) when (createOnly && !_conditionalWritesRefused && e.StatusCode == HttpStatusCode.NotImplemented)
        {
            // a server that refuses If-None-Match outright: the HEAD before the write is the check from now on
            _conditionalWritesRefused = true;
            source.Position = start;
            await UploadOnceAsync(bucket, key, source, size, sha256, md5, ifNoneMatch: false, cancellationToken);
        }
    }

    private async Task UploadOnceAsync(string bucket, string key, Stream source, long size, string sha256, byte[] md5, bool ifNoneMatch, CancellationToken cancellationToken)
    {
        if (size <= _options.MultipartThresholdBytes)
        {
            var put = new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = source,
                AutoCloseStream = false,
                AutoResetStreamPosition = false,
                MD5Digest = Convert.ToBase64String(md5),
                ContentType = ContentTypeOf(key),
                UseChunkEncoding = false,
            };
            if (ifNoneMatch)
            {
                put.IfNoneMatch = "*";
            }

            put.Metadata.Add("sha256", sha256);
            await _client.PutObjectAsync(put, cancellationToken);
            return;
        }

        await UploadInPartsAsync(bucket, key, source, size, sha256, ifNoneMatch, cancellationToken);
    }

    /// <summary>
    /// A multipart upload written out rather than left to TransferUtility: its bodies go as aws-chunked
    /// with signatures inline, which some S3-compatible servers store as part of the object; plain parts
    /// with a Content-MD5 each work everywhere and are checked by the server part by part.
    /// </summary>
    private async Task UploadInPartsAsync(string bucket, string key, Stream source, long size, string sha256, bool ifNoneMatch, CancellationToken cancellationToken)
    {
        const int maxParts = 10_000;
        const long minPart = 5L * 1024 * 1024;
        var partSize = (int)Math.Max(Math.Max(minPart, Math.Min(_options.MultipartThresholdBytes, 16L * 1024 * 1024)), (size + maxParts - 1) / maxParts);
        var initiate = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = ContentTypeOf(key) };
        initiate.Metadata.Add("sha256", sha256);
        var upload = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            var buffer = new byte[partSize];
            for (var number = 1; ; number++)
            {
                var length = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (length == 0)
                {
                    break;
                }

                using var body = new MemoryStream(buffer, 0, length, writable: false);
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    PartSize = length,
                    InputStream = body,
                    MD5Digest = Md5Base64(buffer.AsSpan(0, length)),
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(number, part.ETag));
            }

            var complete = new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = parts };
            if (ifNoneMatch)
            {
                // servers that honour it refuse atomically; for those that ignore it on a completion (Ceph RGW 16.2),
                // a last look just before completing keeps the window to the completion itself
                complete.IfNoneMatch = "*";
                if (await StatCoreAsync(bucket, key, cancellationToken) is not null)
                {
                    throw new AmazonS3Exception("The key was written while the parts were uploaded.") { StatusCode = HttpStatusCode.PreconditionFailed };
                }
            }

            await _client.CompleteMultipartUploadAsync(complete, cancellationToken);
        }
        catch
        {
            await TryAbortAsync(bucket, key, upload.UploadId);
            throw;
        }
    }

    /// <summary>Content-MD5 of a part, as S3 wants it (a transfer check, not security).</summary>
    private static string Md5Base64(ReadOnlySpan<byte> data)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(data);
        return Convert.ToBase64String(md5.GetHashAndReset());
    }

    private static async Task<(string? Sha256, byte[] Md5, long Size)> HashAsync(Stream source, bool withSha256, CancellationToken cancellationToken)
    {
        using var sha = withSha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha?.AppendData(buffer, 0, read);
            md5.AppendData(buffer, 0, read);
            size += read;
        }

        return (sha is null ? null : Convert.ToHexStringLower(sha.GetHashAndReset()), md5.GetHashAndReset(), size);
    }

    private static string ContentTypeOf(string key) => Path.GetExtension(key) switch
    {
        ".ts" => "video/mp2t",
        ".mp4" => "video/mp4",
        ".jpg" => "image/jpeg",
        ".json" => "application/json",
        ".zip" => "application/zip",
        _ => "application/octet-stream",
    };

    private static void EnsureSafe(string key)
    {
        if (!ObjectKeys.IsSafe(key, out var reason))
        {
            throw new ArgumentException($"Object key '{key}' {reason}.", nameof(key));
        }
    }

    /// <summary>Keeps the S3 response alive as long as its body is read.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _inner = response.ResponseStream;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

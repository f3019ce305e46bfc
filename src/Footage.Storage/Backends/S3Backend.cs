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
/// </summary>
public sealed class S3Backend : IStorageBackend, ILocalFileStore, IDisposable
{
    public const string BackendName = "s3";
    private readonly AmazonS3Client _client;
    private readonly S3BackendOptions _options;

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
                source = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
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

            source.Position = start;
            await UploadAsync(bucket, key, source, size, sha256, md5, cancellationToken);

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
            await _client.DeleteObjectAsync(bucket, key, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // already gone
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
    /// A store that cannot be reached, refuses this service's credentials or denies it an operation is a 503 saying which
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
            throw S3Failures.ToProblem(e, operation, bucket);
        }
    }

    private async Task UploadAsync(string bucket, string key, Stream source, long size, string sha256, byte[] md5, CancellationToken cancellationToken)
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
            put.Metadata.Add("sha256", sha256);
            await _client.PutObjectAsync(put, cancellationToken);
            return;
        }

        await UploadInPartsAsync(bucket, key, source, size, sha256, cancellationToken);
    }

    /// <summary>
    /// A multipart upload written out rather than left to TransferUtility: its bodies go as aws-chunked
    /// with signatures inline, which some S3-compatible servers store as part of the object; plain parts
    /// with a Content-MD5 each work everywhere and are checked by the server part by part.
    /// </summary>
    private async Task UploadInPartsAsync(string bucket, string key, Stream source, long size, string sha256, CancellationToken cancellationToken)
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

            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = parts }, cancellationToken);
        }
        catch
        {
            try
            {
                await _client.AbortMultipartUploadAsync(bucket, key, upload.UploadId, CancellationToken.None);
            }
            catch (Exception)
            {
                // not every S3-compatible server can abort; an unfinished upload is never visible under the key
            }

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

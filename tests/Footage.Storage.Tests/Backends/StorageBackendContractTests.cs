using System.Security.Cryptography;
using System.Text;
using Footage.Core.Storage;
using Footage.Storage.Backends;
using Footage.Storage.Buckets;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Backends;

/// <summary>What every storage backend promises, run against the filesystem and against a real S3 server.</summary>
public abstract class StorageBackendContractTests : IAsyncLifetime
{
    protected const long MultipartThreshold = 5L * 1024 * 1024;

    /// <summary>Every test writes under its own prefix, so tests sharing one S3 server never see each other's objects.</summary>
    protected string Prefix { get; } = $"contract-{Guid.NewGuid():N}";

    protected IStorageBackend Backend { get; private set; } = null!;

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    public async ValueTask InitializeAsync() => Backend = await CreateBackendAsync();

    public ValueTask DisposeAsync() => DisposeBackendAsync();

    protected virtual ValueTask DisposeBackendAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task An_object_reads_back_byte_identical_and_the_write_returns_its_sha256()
    {
        var content = Bytes(300_000, seed: 1);
        var key = $"{Prefix}/cam/2026/11/20/10-00-00.ts";

        var stored = await Backend.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(content), null, CancellationToken.None);

        Assert.Equal(key, stored.Key);
        Assert.Equal(content.Length, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Sha256);
        Assert.Equal(content, await ReadAllAsync(key, null));
    }

    [Fact]
    public async Task A_write_with_the_right_expected_sha256_is_kept_and_a_wrong_one_leaves_nothing_under_the_key()
    {
        var content = Bytes(50_000, seed: 2);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var good = $"{Prefix}/good.ts";
        var bad = $"{Prefix}/bad.ts";

        await Backend.PutAsync(StorageBuckets.Recordings, good, new MemoryStream(content), sha256.ToUpperInvariant(), CancellationToken.None);
        var mismatch = await Assert.ThrowsAsync<ChecksumMismatchException>(() =>
            Backend.PutAsync(StorageBuckets.Recordings, bad, new MemoryStream(content), new string('0', 64), CancellationToken.None));

        Assert.Equal(bad, mismatch.Key);
        Assert.NotNull(await Backend.StatAsync(StorageBuckets.Recordings, good, CancellationToken.None));
        Assert.Null(await Backend.StatAsync(StorageBuckets.Recordings, bad, CancellationToken.None));
        Assert.Null(await Backend.OpenReadAsync(StorageBuckets.Recordings, bad, null, CancellationToken.None));
        Assert.Equal([good], await ListKeysAsync(StorageBuckets.Recordings, Prefix + "/"));
    }

    [Fact]
    public async Task A_local_file_stored_with_its_known_sha256_reads_back_identical_after_the_file_is_deleted()
    {
        using var spool = new TempFolder("footage-local-file");
        var content = Bytes(400_000, seed: 11);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var file = Path.Combine(spool.Path, "segment.ts");
        await File.WriteAllBytesAsync(file, content);
        var key = $"{Prefix}/cam/2026/11/20/11-00-00.000.ts";

        var stored = await Backend.PutFileAsync(StorageBuckets.Recordings, key, file, sha256, CancellationToken.None);
        File.Delete(file); // what the recorder does once the segment is registered

        Assert.Equal(new StoredObject(key, content.Length, sha256), stored);
        Assert.Equal(content, await ReadAllAsync(key, null));
    }

    [Theory]
    [InlineData(0, 9)]
    [InlineData(1000, 1999)]
    [InlineData(99_999, 99_999)]
    [InlineData(0, 99_999)]
    public async Task A_byte_range_reads_exactly_those_bytes(long from, long to)
    {
        var content = Bytes(100_000, seed: 3);
        var key = $"{Prefix}/ranged.ts";
        await Backend.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(content), null, CancellationToken.None);

        await using var read = await Backend.OpenReadAsync(StorageBuckets.Recordings, key, new ByteRange(from, to), CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(content.Length, read.TotalLength);
        Assert.Equal(to - from + 1, read.ContentLength);
        Assert.Equal(content[(int)from..(int)(to + 1)], await ReadToEndAsync(read.Content));
    }

    [Fact]
    public async Task Stat_delete_and_list_by_prefix_see_the_same_objects()
    {
        var keys = new[] { $"{Prefix}/a/1.ts", $"{Prefix}/a/2.ts", $"{Prefix}/b/1.ts" };
        for (var i = 0; i < keys.Length; i++)
        {
            await Backend.PutAsync(StorageBuckets.Recordings, keys[i], new MemoryStream(Bytes(1000 + i, seed: i)), null, CancellationToken.None);
        }

        var stat = await Backend.StatAsync(StorageBuckets.Recordings, keys[1], CancellationToken.None);
        Assert.NotNull(stat);
        Assert.Equal(1001, stat.Size);
        Assert.Equal(keys[1], stat.Key);

        var listed = new List<ObjectInfo>();
        await foreach (var item in Backend.ListAsync(StorageBuckets.Recordings, $"{Prefix}/a/", CancellationToken.None))
        {
            listed.Add(item);
        }

        Assert.Equal([(keys[0], 1000L), (keys[1], 1001L)], listed.Select(o => (o.Key, o.Size)).Order());

        await Backend.DeleteAsync(StorageBuckets.Recordings, keys[0], CancellationToken.None);
        Assert.Null(await Backend.StatAsync(StorageBuckets.Recordings, keys[0], CancellationToken.None));
        Assert.Null(await Backend.OpenReadAsync(StorageBuckets.Recordings, keys[0], null, CancellationToken.None));
        await Backend.DeleteAsync(StorageBuckets.Recordings, keys[0], CancellationToken.None);
        await Backend.DeleteAsync(StorageBuckets.Recordings, $"{Prefix}/never/written.ts", CancellationToken.None);
        Assert.Equal([keys[1], keys[2]], await ListKeysAsync(StorageBuckets.Recordings, Prefix + "/"));
        Assert.Empty(await ListKeysAsync(StorageBuckets.Exports, Prefix + "/"));
    }

    [Fact]
    public async Task An_object_larger_than_the_multipart_threshold_reads_back_byte_identical()
    {
        var content = Bytes((int)(MultipartThreshold * 2 + 2 * 1024 * 1024), seed: 4); // 12 MiB
        var key = $"{Prefix}/large.ts";
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));

        // a stream that cannot seek, like an HTTP request body, so the backend has to spool it
        var stored = await Backend.PutAsync(StorageBuckets.Recordings, key, new ForwardOnlyStream(content), sha256, CancellationToken.None);

        Assert.Equal(content.Length, stored.Size);
        Assert.Equal(sha256, stored.Sha256);
        Assert.Equal(content.Length, (await Backend.StatAsync(StorageBuckets.Recordings, key, CancellationToken.None))?.Size);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(await ReadAllAsync(key, null))));
        var tail = await ReadAllAsync(key, new ByteRange(content.Length - 5000, content.Length - 1));
        Assert.Equal(content[^5000..], tail);
    }

    [Fact]
    public async Task An_empty_object_is_stored_and_reads_back_empty()
    {
        var key = $"{Prefix}/empty.json";
        var stored = await Backend.PutAsync(StorageBuckets.Exports, key, new MemoryStream([]), null, CancellationToken.None);

        Assert.Equal(0, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Array.Empty<byte>())), stored.Sha256);
        Assert.Equal(0, (await Backend.StatAsync(StorageBuckets.Exports, key, CancellationToken.None))?.Size);
        await using var read = await Backend.OpenReadAsync(StorageBuckets.Exports, key, null, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(0, read.TotalLength);
        Assert.Empty(await ReadToEndAsync(read.Content));
    }

    [Fact]
    public async Task Stored_footage_is_never_overwritten_and_the_same_bytes_again_are_a_retry()
    {
        var key = $"{Prefix}/write-once.ts";
        var original = Bytes(20_000, seed: 8);
        await Backend.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(original), null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ObjectExistsException>(() =>
            Backend.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(Bytes(7_000, seed: 9)), null, CancellationToken.None));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original)), refused.ExistingSha256);
        var retry = await Backend.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(original), null, CancellationToken.None);

        Assert.Equal(20_000, retry.Size);
        Assert.Equal(original, await ReadAllAsync(key, null));
        Assert.Equal(20_000, (await Backend.StatAsync(StorageBuckets.Recordings, key, CancellationToken.None))?.Size);
    }

    [Fact]
    public async Task Exports_and_thumbnails_are_made_again_and_replace_the_object_whole()
    {
        var key = $"{Prefix}/replaced.mp4";
        await Backend.PutAsync(StorageBuckets.Exports, key, new MemoryStream(Bytes(20_000, seed: 8)), null, CancellationToken.None);
        var second = Bytes(7_000, seed: 9);

        await Backend.PutAsync(StorageBuckets.Exports, key, new MemoryStream(second), null, CancellationToken.None);

        await using var read = await Backend.OpenReadAsync(StorageBuckets.Exports, key, null, CancellationToken.None);
        using var copy = new MemoryStream();
        await read!.Content.CopyToAsync(copy);
        Assert.Equal(second, copy.ToArray());
    }

    [Fact]
    public async Task A_copy_inside_the_store_is_create_only_and_its_hold_is_set_and_lifted()
    {
        var key = $"{Prefix}/held.ts";
        var bytes = Bytes(30_000, seed: 10);
        await Backend.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), null, CancellationToken.None);
        var store = Assert.IsAssignableFrom<IHoldingStore>(Backend);
        var copyKey = ObjectKeys.ForHeldCopy(key);

        var copy = await store.CopyAsync(StorageBuckets.Recordings, key, StorageBuckets.Clips, copyKey, CancellationToken.None);
        var again = await store.CopyAsync(StorageBuckets.Recordings, key, StorageBuckets.Clips, copyKey, CancellationToken.None);
        Assert.Null(await store.CopyAsync(StorageBuckets.Recordings, $"{Prefix}/missing.ts", StorageBuckets.Clips, $"holds/{Prefix}/missing.ts", CancellationToken.None));

        Assert.Equal(30_000, copy?.Size);
        Assert.Equal(30_000, again?.Size);
        await store.SetHoldAsync(StorageBuckets.Clips, copyKey, held: true, CancellationToken.None);
        await Backend.DeleteAsync(StorageBuckets.Recordings, key, CancellationToken.None);
        await using (var read = await Backend.OpenReadAsync(StorageBuckets.Clips, copyKey, null, CancellationToken.None))
        {
            using var copied = new MemoryStream();
            await read!.Content.CopyToAsync(copied);
            Assert.Equal(bytes, copied.ToArray());
        }

        await store.SetHoldAsync(StorageBuckets.Clips, copyKey, held: false, CancellationToken.None);
        await Backend.DeleteAsync(StorageBuckets.Clips, copyKey, CancellationToken.None);
        Assert.Null(await Backend.StatAsync(StorageBuckets.Clips, copyKey, CancellationToken.None));
    }

    public static TheoryData<string> UnsafeKeys => new()
    {
        "../outside.ts",
        "cam/../../outside.ts",
        "cam/..",
        "/etc/passwd",
        "cam\\2026\\x.ts",
        "..\\outside.ts",
        "C:/windows/x.ts",
        "cam//x.ts",
        "",
    };

    [Theory]
    [MemberData(nameof(UnsafeKeys))]
    public async Task Keys_that_could_leave_the_bucket_are_refused_by_every_operation(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.PutAsync(StorageBuckets.Recordings, key, new MemoryStream([1, 2, 3]), null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.OpenReadAsync(StorageBuckets.Recordings, key, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.StatAsync(StorageBuckets.Recordings, key, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.DeleteAsync(StorageBuckets.Recordings, key, CancellationToken.None));
    }

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected async Task<byte[]> ReadAllAsync(string key, ByteRange? range)
    {
        await using var read = await Backend.OpenReadAsync(StorageBuckets.Recordings, key, range, CancellationToken.None);
        Assert.NotNull(read);
        return await ReadToEndAsync(read.Content);
    }

    protected static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<string[]> ListKeysAsync(string bucket, string prefix)
    {
        var keys = new List<string>();
        await foreach (var item in Backend.ListAsync(bucket, prefix, CancellationToken.None))
        {
            keys.Add(item.Key);
        }

        return keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Reads like a network stream: forward only, length unknown.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}

public sealed class FilesystemBackendContractTests : StorageBackendContractTests
{
    private readonly TempFolder _root = new("footage-fs-backend");

    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new FilesystemBackend(_root.Path));

    [Fact]
    public async Task A_refused_write_leaves_no_temporary_file_behind()
    {
        var content = Bytes(10_000, seed: 5);
        await Assert.ThrowsAsync<ChecksumMismatchException>(() =>
            Backend.PutAsync(StorageBuckets.Recordings, $"{Prefix}/x.ts", new MemoryStream(content), new string('f', 64), CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root.Path, StorageBuckets.Recordings), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_local_file_on_the_same_disk_is_linked_into_place_not_copied()
    {
        var spool = Path.Combine(_root.Path, "spool");
        Directory.CreateDirectory(spool);
        var content = Bytes(20_000, seed: 12);
        var file = Path.Combine(spool, "segment.ts");
        await File.WriteAllBytesAsync(file, content);
        var key = $"{Prefix}/linked.ts";

        await Backend.PutFileAsync(StorageBuckets.Recordings, key, file, Convert.ToHexStringLower(SHA256.HashData(content)), CancellationToken.None);

        // two names, one inode: nothing was copied
        Assert.Equal("2", await LinkCountAsync(file));
    }

    private static async Task<string> LinkCountAsync(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat") { RedirectStandardOutput = true, ArgumentList = { "-c", "%h", path } };
        using var stat = System.Diagnostics.Process.Start(start)!;
        var output = await stat.StandardOutput.ReadToEndAsync();
        await stat.WaitForExitAsync();
        return output.Trim();
    }

    protected override ValueTask DisposeBackendAsync()
    {
        _root.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The contract on Ceph's RADOS Gateway, which checks every signature and content hash as AWS does.</summary>
public sealed class S3BackendContractTests(RadosGateway rgw) : StorageBackendContractTests
{
    private RequestCountingProxy? _parts;

    protected override async Task<IStorageBackend> CreateBackendAsync()
    {
        // the backend talks to the real S3 server through a relay that counts the parts of multipart uploads
        _parts = new RequestCountingProxy(rgw.Port, "partNumber=");
        var user = rgw.Identities.Storage;
        var backend = new S3Backend(new S3BackendOptions
        {
            ServiceUrl = _parts.Url, AccessKey = user.AccessKey, SecretKey = user.SecretKey, MultipartThresholdBytes = MultipartThreshold,
        });
        using var buckets = new S3BucketAdmin(new S3BackendOptions { ServiceUrl = rgw.ServiceUrl, AccessKey = user.AccessKey, SecretKey = user.SecretKey });
        await buckets.EnsureBucketsAsync(CancellationToken.None);
        return backend;
    }

    [Fact]
    public async Task Objects_over_the_threshold_go_up_in_parts_and_smaller_ones_in_one_request()
    {
        await Backend.PutAsync(StorageBuckets.Recordings, $"{Prefix}/small.ts", new MemoryStream(Bytes((int)MultipartThreshold - 1, seed: 6)), null, CancellationToken.None);
        Assert.Equal(0, _parts!.Count);

        var content = Bytes((int)(MultipartThreshold * 2 + 2 * 1024 * 1024), seed: 7);
        await Backend.PutAsync(StorageBuckets.Recordings, $"{Prefix}/large.ts", new MemoryStream(content), null, CancellationToken.None);

        Assert.True(_parts.Count >= 2, $"a 12 MiB object over a 5 MiB threshold went up in {_parts.Count} part(s)");
        Assert.Equal(content, await ReadAllAsync($"{Prefix}/large.ts", null));
    }

    [Fact]
    public async Task A_write_to_a_store_without_the_buckets_is_a_503_saying_the_storage_service_makes_them()
    {
        // a new tenant has none of the four buckets; the backend leaves making them to the Storage service
        var fresh = (await rgw.CreateTenantAsync()).Storage;
        using var backend = new S3Backend(new S3BackendOptions { ServiceUrl = rgw.ServiceUrl, AccessKey = fresh.AccessKey, SecretKey = fresh.SecretKey });

        var unavailable = await Assert.ThrowsAsync<ObjectStoreUnavailableException>(() =>
            backend.PutAsync(StorageBuckets.Thumbnails, "cam/small.jpg", new MemoryStream(Bytes(1000, seed: 10)), null, CancellationToken.None));

        Assert.Contains("cctv-thumbnails does not exist yet", unavailable.Message, StringComparison.Ordinal);
    }

    protected override async ValueTask DisposeBackendAsync()
    {
        (Backend as IDisposable)?.Dispose();
        if (_parts is not null)
        {
            await _parts.DisposeAsync();
        }
    }
}

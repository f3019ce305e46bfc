using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Storage.Tests.Backends;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Integrity;

/// <summary>
/// The integrity scrub proves every stored object against the catalog: it finds a flipped byte, a missing object and an
/// object without a row, reports them (API, metric) and deletes nothing. Filesystem here, the RADOS Gateway below.
/// </summary>
public abstract class ScrubTests(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    /// <summary>The findings gauge is one per process: the scrub classes run one after another so each reads its own figures.</summary>
    public const string Metrics = "integrity findings gauge";

    protected FootageServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = await SettingsAsync();
        settings["Footage:Storage:Scrub:OrphanGrace"] = "00:00:00";
        Server = await FootageServer.StartAsync(database, postgres, settings);
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    protected virtual Task<Dictionary<string, string?>> SettingsAsync() => Task.FromResult(new Dictionary<string, string?>());

    /// <summary>Changes one byte of a stored object behind the product's back (bit rot, or someone with access to the store).</summary>
    protected abstract Task FlipByteAsync(string bucket, string key, long offset);

    /// <summary>Removes a stored object behind the product's back.</summary>
    protected abstract Task RemoveAsync(string bucket, string key);

    [Fact]
    public async Task The_scrub_finds_a_flipped_byte_a_missing_object_and_an_orphan_and_deletes_nothing()
    {
        var camera = Guid.NewGuid();
        var start = StoredSegments.Now().AddHours(-3);
        var rotten = await StoredSegments.StoreAndRegisterAsync(Server, camera, start, start.AddMinutes(10), RandomNumberGenerator.GetBytes(100_000));
        var lost = await StoredSegments.StoreAndRegisterAsync(Server, camera, start.AddMinutes(10), start.AddMinutes(20), RandomNumberGenerator.GetBytes(1000));
        var sound = await StoredSegments.StoreAndRegisterAsync(Server, camera, start.AddMinutes(20), start.AddMinutes(30), RandomNumberGenerator.GetBytes(1000));
        var backend = Server.Get<IStorageBackendRegistry>().Default;
        var orphanKey = ObjectKeys.ForSegment(camera, start.AddMinutes(30));
        await backend.PutAsync(StorageBuckets.Recordings, orphanKey, new MemoryStream(RandomNumberGenerator.GetBytes(777)), null, CancellationToken.None);
        await FlipByteAsync(StorageBuckets.Recordings, Path(rotten), 54_321);
        await RemoveAsync(StorageBuckets.Recordings, Path(lost));

        var run = await (await Server.Admin.PostAsync("api/v1/storage/integrity/scrub", null)).AssertJsonAsync(HttpStatusCode.OK);
        var report = await (await Server.Admin.GetAsync("api/v1/storage/integrity")).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, run.GetProperty("open_findings").GetProperty("hash_mismatch").GetInt64());
        Assert.Equal(1, run.GetProperty("open_findings").GetProperty("missing_object").GetInt64());
        Assert.Equal(1, run.GetProperty("open_findings").GetProperty("orphan_object").GetInt64());
        Assert.Equal(0, run.GetProperty("open_findings").GetProperty("size_mismatch").GetInt64());
        var findings = report.GetProperty("findings").EnumerateArray().ToArray();
        var hash = Assert.Single(findings, f => f.GetProperty("kind").GetString() == "hash_mismatch");
        Assert.Equal(rotten.GetProperty("id").GetGuid(), hash.GetProperty("segment_id").GetGuid());
        Assert.Equal(rotten.GetProperty("checksum").GetString(), hash.GetProperty("expected_sha256").GetString());
        Assert.NotEqual(rotten.GetProperty("checksum").GetString(), hash.GetProperty("actual_sha256").GetString());
        var missing = Assert.Single(findings, f => f.GetProperty("kind").GetString() == "missing_object");
        Assert.Equal(lost.GetProperty("id").GetGuid(), missing.GetProperty("segment_id").GetGuid());
        var orphan = Assert.Single(findings, f => f.GetProperty("kind").GetString() == "orphan_object");
        Assert.Equal(orphanKey, orphan.GetProperty("path").GetString());
        Assert.Equal(777, orphan.GetProperty("actual_size").GetInt64());
        Assert.DoesNotContain(findings, f => f.GetProperty("path").GetString() == Path(sound));
        Assert.Equal(1, report.GetProperty("state").GetProperty("passes_completed").GetInt32());

        var metrics = await Server.Admin.GetStringAsync("metrics");
        Assert.Contains("footage_integrity_findings{kind=\"hash_mismatch\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("footage_integrity_findings{kind=\"orphan_object\"} 1", metrics, StringComparison.Ordinal);

        // it only reports: the changed object, the orphan and every row are still there
        Assert.NotNull(await backend.StatAsync(StorageBuckets.Recordings, Path(rotten), CancellationToken.None));
        Assert.NotNull(await backend.StatAsync(StorageBuckets.Recordings, orphanKey, CancellationToken.None));
        foreach (var segment in new[] { rotten, lost, sound })
        {
            await (await Server.Admin.GetAsync($"api/v1/storage/segments/by-id/{segment.GetProperty("id")}")).AssertJsonAsync(HttpStatusCode.OK);
        }

        // the orphan registered after all is no longer an orphan at the next reconciliation
        await (await Server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = camera, start_time = start.AddMinutes(30), end_time = start.AddMinutes(40), size_bytes = 777,
            checksum = await ShaAsync(backend, orphanKey),
        })).AssertJsonAsync(HttpStatusCode.Created);
        var again = await (await Server.Admin.PostAsync("api/v1/storage/integrity/scrub", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("open_findings").GetProperty("orphan_object").GetInt64());
        Assert.Equal(1, again.GetProperty("open_findings").GetProperty("hash_mismatch").GetInt64());
    }

    [Fact]
    public async Task The_integrity_report_is_for_admins_and_names_a_wrong_parameter()
    {
        await (await (await Server.ClientAsync("operator")).GetAsync("api/v1/storage/integrity")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await (await Server.ClientAsync("operator")).PostAsync("api/v1/storage/integrity/scrub", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var problem = await (await Server.Admin.GetAsync("api/v1/storage/integrity?kind=rot")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["kind"], problem.ErrorFields());
    }

    protected static string Path(JsonElement segment) => segment.GetProperty("storage_path").GetString()!;

    private static async Task<string> ShaAsync(IStorageBackend backend, string key)
    {
        await using var read = await backend.OpenReadAsync(StorageBuckets.Recordings, key, null, CancellationToken.None);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(read!.Content));
    }
}

public abstract class FilesystemScrubTests(DatabaseKind database, PostgresServer postgres) : ScrubTests(database, postgres)
{
    protected override async Task FlipByteAsync(string bucket, string key, long offset)
    {
        await using var file = new FileStream(System.IO.Path.Combine(Server.DataDirectory, "storage", bucket, key), FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x01));
    }

    protected override Task RemoveAsync(string bucket, string key)
    {
        File.Delete(System.IO.Path.Combine(Server.DataDirectory, "storage", bucket, key));
        return Task.CompletedTask;
    }
}

[Collection(ScrubTests.Metrics)]
public sealed class SqliteScrubTests(PostgresServer postgres) : FilesystemScrubTests(DatabaseKind.Sqlite, postgres);

[Collection(ScrubTests.Metrics)]
public sealed class PostgresScrubTests(PostgresServer postgres) : FilesystemScrubTests(DatabaseKind.Postgres, postgres);

/// <summary>The same on the RADOS Gateway, in a tenant of its own (so that no other test's objects are in its buckets).</summary>
public abstract class S3ScrubTests(DatabaseKind database, PostgresServer postgres, RadosGateway rgw) : ScrubTests(database, postgres)
{
    private S3Tenant _tenant = null!;

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        _tenant = await rgw.CreateTenantAsync();
        return new Dictionary<string, string?>(rgw.S3Settings(_tenant.Storage)) { ["Footage:Storage:DefaultBackend"] = "s3" };
    }

    protected override async Task FlipByteAsync(string bucket, string key, long offset)
    {
        using var client = rgw.ClientFor(_tenant.Storage);
        using var response = await client.GetObjectAsync(bucket, key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        var bytes = copy.ToArray();
        bytes[offset] ^= 0x01;
        await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false });
    }

    protected override async Task RemoveAsync(string bucket, string key)
    {
        using var client = rgw.ClientFor(_tenant.Storage);
        await client.DeleteObjectAsync(bucket, key);
    }
}

[Collection(ScrubTests.Metrics)]
public sealed class SqliteS3ScrubTests(PostgresServer postgres, RadosGateway rgw) : S3ScrubTests(DatabaseKind.Sqlite, postgres, rgw);

[Collection(ScrubTests.Metrics)]
public sealed class PostgresS3ScrubTests(PostgresServer postgres, RadosGateway rgw) : S3ScrubTests(DatabaseKind.Postgres, postgres, rgw);

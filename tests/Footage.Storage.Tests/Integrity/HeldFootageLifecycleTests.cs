using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Footage.Core.Storage;
using Footage.Storage.Tests.Backends;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Integrity;

/// <summary>
/// A held segment survives the recordings bucket's lifecycle rule: on a RADOS Gateway whose lifecycle "day" lasts seconds,
/// an expiry rule on cctv-recordings deletes the footage nobody holds, while the held segment, moved to its copy in
/// cctv-clips under an Object Lock legal hold, stays readable byte for byte through the catalog.
/// </summary>
public abstract class HeldFootageLifecycleTests(DatabaseKind database, PostgresServer postgres, ShortDayRadosGateway rgw) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(ShortDayRadosGateway.DaySeconds * 30);
    private S3Tenant _tenant = null!;
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _tenant = await rgw.CreateTenantAsync();
        _server = await FootageServer.StartAsync(database, postgres, new Dictionary<string, string?>(rgw.S3Settings(_tenant.Storage), StringComparer.OrdinalIgnoreCase)
        {
            ["Footage:Storage:DefaultBackend"] = "s3",
        });
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_held_segment_survives_the_recordings_lifecycle_rule_in_its_legally_held_copy()
    {
        var camera = Guid.NewGuid();
        var start = StoredSegments.Now().AddHours(-1);
        var heldBytes = RandomNumberGenerator.GetBytes(300_000);
        var held = await StoreAsync(camera, start, heldBytes);
        var free = await StoreAsync(camera, start.AddMinutes(10), RandomNumberGenerator.GetBytes(1000));
        var incident = await (await _server.Admin.PostAsJsonAsync("api/v1/metadata/incidents", new
        {
            title = "Held", severity = "HIGH", camera_ids = new[] { camera }, start_time = start, end_time = start.AddMinutes(5),
        })).AssertJsonAsync(HttpStatusCode.Created);
        var moved = await WaitUntilMovedAsync(held.GetProperty("id").GetGuid());

        // a rule on the recordings bucket that expires everything after one (short) day: any deployment's rule, too short on purpose
        using var s3 = rgw.ClientFor(_tenant.Storage);
        await ExpireRecordingsAfterADayAsync(s3);
        var deadline = DateTime.UtcNow + Patience;
        while (await ExistsAsync(s3, StorageBuckets.Recordings, free.GetProperty("storage_path").GetString()!) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.False(await ExistsAsync(s3, StorageBuckets.Recordings, free.GetProperty("storage_path").GetString()!), "the lifecycle rule ran and expired unheld footage");
        Assert.Equal(StorageBuckets.Clips, moved.GetProperty("storage_bucket").GetString());
        var copyKey = moved.GetProperty("storage_path").GetString()!;
        var legalHold = await s3.GetObjectLegalHoldAsync(new GetObjectLegalHoldRequest { BucketName = StorageBuckets.Clips, Key = copyKey });
        Assert.Equal(ObjectLockLegalHoldStatus.On, legalHold.LegalHold.Status);
        var content = await (await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{held.GetProperty("id")}/content")).Content.ReadAsByteArrayAsync();
        Assert.Equal(heldBytes, content);

        // nobody with the store's own credentials can delete the held version while the hold is on
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = StorageBuckets.Clips, Prefix = copyKey });
        var version = Assert.Single(versions.Versions!, v => v.Key == copyKey && v.IsDeleteMarker != true);
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = StorageBuckets.Clips, Key = copyKey, VersionId = version.VersionId }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("HIGH", incident.GetProperty("severity").GetString());
    }

    private async Task<JsonElement> StoreAsync(Guid camera, DateTimeOffset start, byte[] content) =>
        await StoredSegments.StoreAndRegisterAsync(_server, camera, start, start.AddMinutes(5), content);

    private async Task<JsonElement> WaitUntilMovedAsync(Guid id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var segment = await (await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{id}")).AssertJsonAsync(HttpStatusCode.OK);
            if (segment.GetProperty("storage_bucket").GetString() == StorageBuckets.Clips)
            {
                return segment;
            }

            Assert.True(DateTime.UtcNow < deadline, $"segment {id} was not moved to its held copy within 30 s");
            await Task.Delay(200);
        }
    }

    private static async Task ExpireRecordingsAfterADayAsync(AmazonS3Client s3)
    {
        var rules = new List<LifecycleRule>();
        try
        {
            rules.AddRange((await s3.GetLifecycleConfigurationAsync(StorageBuckets.Recordings)).Configuration?.Rules ?? []);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // no rules yet
        }

        rules.Add(new LifecycleRule
        {
            Id = "test-expire-after-a-day", Status = LifecycleRuleStatus.Enabled,
            Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } },
            Expiration = new LifecycleRuleExpiration { Days = 1 },
        });
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = StorageBuckets.Recordings, Configuration = new LifecycleConfiguration { Rules = rules },
        });
    }

    private static async Task<bool> ExistsAsync(AmazonS3Client s3, string bucket, string key)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}

public sealed class SqliteHeldFootageLifecycleTests(PostgresServer postgres, ShortDayRadosGateway rgw)
    : HeldFootageLifecycleTests(DatabaseKind.Sqlite, postgres, rgw), IClassFixture<ShortDayRadosGateway>;

public sealed class PostgresHeldFootageLifecycleTests(PostgresServer postgres, ShortDayRadosGateway rgw)
    : HeldFootageLifecycleTests(DatabaseKind.Postgres, postgres, rgw), IClassFixture<ShortDayRadosGateway>;

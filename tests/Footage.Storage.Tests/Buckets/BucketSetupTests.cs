using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Footage.Core.Storage;
using Footage.Storage.Buckets;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Buckets;

/// <summary>
/// Footage sets up its own buckets through the S3 API, here on Ceph's RADOS Gateway: each test runs in a tenant of its
/// own, which starts without buckets.
/// </summary>
public sealed class BucketSetupTests(RadosGateway rgw)
{
    [Fact]
    public async Task An_empty_store_gets_the_four_buckets_their_lifecycle_rules_and_object_lock_on_clips()
    {
        var tenant = await rgw.CreateTenantAsync();
        await using var server = await StartAsync(tenant.Storage);
        await StoreBuckets.WaitUntilSetUpAsync(server);
        using var s3 = rgw.ClientFor(tenant.Storage);

        var buckets = (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName).Order(StringComparer.Ordinal);
        Assert.Equal(StorageBuckets.All.Order(StringComparer.Ordinal), buckets);
        foreach (var (bucket, days) in new[] { (StorageBuckets.Recordings, 91), (StorageBuckets.Exports, 7), (StorageBuckets.Thumbnails, 30) })
        {
            var (rule, all) = await StoreBuckets.RulesAsync(s3, bucket);
            Assert.True(rule?.Expiration?.Days == days, $"{bucket}: {JsonSerializer.Serialize(all)}");
            Assert.Equal(1, rule!.AbortIncompleteMultipartUpload?.DaysAfterInitiation);
        }

        var (clips, clipRules) = await StoreBuckets.RulesAsync(s3, StorageBuckets.Clips);
        Assert.True(clips is { Expiration: null }, $"cctv-clips never expires: {JsonSerializer.Serialize(clipRules)}");
        Assert.Equal(1, clips!.AbortIncompleteMultipartUpload?.DaysAfterInitiation);
        Assert.Equal(1, clips.NoncurrentVersionExpiration?.NoncurrentDays);
        var locking = await s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = StorageBuckets.Clips });
        Assert.Equal(ObjectLockEnabled.Enabled, locking.ObjectLockConfiguration.ObjectLockEnabled);

        var health = await HealthAsync(server, "s3_buckets");
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Contains("recordings expire after 91 days", health.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("cctv-clips has object lock", health.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_legal_hold_on_a_clip_version_makes_its_deletion_fail()
    {
        var tenant = await rgw.CreateTenantAsync();
        await using (var server = await StartAsync(tenant.Storage))
        {
            await StoreBuckets.WaitUntilSetUpAsync(server);
        }

        using var s3 = rgw.ClientFor(tenant.Storage);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = StorageBuckets.Clips, Key = "holds/evidence.ts", ContentBody = "held footage" });
        Assert.False(string.IsNullOrEmpty(put.VersionId), "cctv-clips keeps versions (object lock needs them)");
        await s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest
        {
            BucketName = StorageBuckets.Clips, Key = "holds/evidence.ts", VersionId = put.VersionId, LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.On },
        });

        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = StorageBuckets.Clips, Key = "holds/evidence.ts", VersionId = put.VersionId }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var read = await s3.GetObjectAsync(new GetObjectRequest { BucketName = StorageBuckets.Clips, Key = "holds/evidence.ts", VersionId = put.VersionId });
        Assert.Equal("held footage", await new StreamReader(read.ResponseStream).ReadToEndAsync());

        // released, the version can be deleted
        await s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest
        {
            BucketName = StorageBuckets.Clips, Key = "holds/evidence.ts", VersionId = put.VersionId, LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.Off },
        });
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = StorageBuckets.Clips, Key = "holds/evidence.ts", VersionId = put.VersionId });
    }

    [Fact]
    public async Task A_camera_kept_longer_raises_the_recordings_rule_first_and_a_restart_keeps_an_operators_own_rules()
    {
        var tenant = await rgw.CreateTenantAsync();
        using var s3 = rgw.ClientFor(tenant.Storage);
        await using (var server = await StartAsync(tenant.Storage))
        {
            await StoreBuckets.WaitUntilSetUpAsync(server);
            var camera = await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "kept a year", rtsp_url = "rtsp://10.0.0.1/a", retention_days = 365 }))
                .AssertJsonAsync(HttpStatusCode.Created);
            Assert.Equal(366, await StoreBuckets.ExpiryDaysAsync(s3, StorageBuckets.Recordings));

            var id = camera.GetProperty("id").GetGuid();
            await (await server.Admin.PutAsJsonAsync($"api/v1/cameras/{id}", new { name = "kept two years", retention_days = 730 })).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(731, await StoreBuckets.ExpiryDaysAsync(s3, StorageBuckets.Recordings));
            await (await server.Admin.PutAsJsonAsync($"api/v1/cameras/{id}", new { name = "kept a month", retention_days = 30 })).AssertJsonAsync(HttpStatusCode.OK);
            Assert.Equal(731, await StoreBuckets.ExpiryDaysAsync(s3, StorageBuckets.Recordings));
        }

        // an operator's own rule (a transition, say) beside Footage's
        var rules = (await StoreBuckets.RulesAsync(s3, StorageBuckets.Recordings)).All;
        rules.Add(new LifecycleRule
        {
            Id = "operators-own", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "archive/" } },
            Expiration = new LifecycleRuleExpiration { Days = 3650 },
        });
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = StorageBuckets.Recordings, Configuration = new LifecycleConfiguration { Rules = rules } });

        // at the next start the rule follows the cameras as they are now: the longest is the 90-day default
        await using (var server = await StartAsync(tenant.Storage))
        {
            await StoreBuckets.WaitUntilSetUpAsync(server);
        }

        var after = await StoreBuckets.RulesAsync(s3, StorageBuckets.Recordings);
        Assert.Equal(91, after.Ours?.Expiration?.Days);
        Assert.Contains(after.All, r => r.Id == "operators-own" && r.Expiration?.Days == 3650);
    }

    [Fact]
    public async Task Another_rule_that_expires_recordings_sooner_is_reported_and_a_retention_past_it_is_refused()
    {
        // as the earlier init script left it: the four buckets, a 90-day rule of its own in cctv-recordings
        var tenant = await rgw.CreateTenantAsync();
        using var s3 = rgw.ClientFor(tenant.Storage);
        await s3.PutBucketAsync(StorageBuckets.Recordings);
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = StorageBuckets.Recordings,
            Configuration = new LifecycleConfiguration
            {
                Rules = [new LifecycleRule { Id = "cr3kq0hmcbvs7b4p6c2g", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } }, Expiration = new LifecycleRuleExpiration { Days = 90 } }],
            },
        });
        await using var server = await StartAsync(tenant.Storage);
        await StoreBuckets.WaitUntilSetUpAsync(server);

        var health = await HealthAsync(server, "s3_buckets");
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Contains("another lifecycle rule of cctv-recordings expires recordings after 90 days", health.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(91, await StoreBuckets.ExpiryDaysAsync(s3, StorageBuckets.Recordings));

        var problem = await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "kept longer", rtsp_url = "rtsp://10.0.0.1/a", retention_days = 120 }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("retention_days 120", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("after 90 days", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await server.Admin.GetFromJsonAsync<JsonElement[]>("api/v1/cameras") ?? []);
    }

    [Fact]
    public async Task Buckets_an_operator_set_up_are_left_alone_and_a_retention_longer_than_their_rule_is_refused_naming_the_field()
    {
        var tenant = await rgw.CreateTenantAsync();
        using var s3 = rgw.ClientFor(tenant.Storage);
        foreach (var bucket in StorageBuckets.All)
        {
            await s3.PutBucketAsync(bucket);
        }

        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = StorageBuckets.Recordings,
            Configuration = new LifecycleConfiguration
            {
                Rules = [new LifecycleRule { Id = "ops", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } }, Expiration = new LifecycleRuleExpiration { Days = 100 } }],
            },
        });
        await using var server = await StartAsync(tenant.Storage, new() { ["Footage:Storage:S3:CreateBuckets"] = "false" });
        await StoreBuckets.WaitUntilSetUpAsync(server);

        var problem = await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "too long", rtsp_url = "rtsp://10.0.0.1/a", retention_days = 120 }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("retention_days 120", detail, StringComparison.Ordinal);
        Assert.Contains("after 100 days", detail, StringComparison.Ordinal);
        Assert.Empty(await server.Admin.GetFromJsonAsync<JsonElement[]>("api/v1/cameras") ?? []);
        await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "fits", rtsp_url = "rtsp://10.0.0.1/a", retention_days = 99 })).AssertJsonAsync(HttpStatusCode.Created);

        Assert.Equal(100, await StoreBuckets.ExpiryDaysAsync(s3, StorageBuckets.Recordings) ?? (await StoreBuckets.RulesAsync(s3, StorageBuckets.Recordings)).All.Single().Expiration.Days);
        Assert.Equal("ops", (await StoreBuckets.RulesAsync(s3, StorageBuckets.Recordings)).All.Single().Id);
        Assert.Null((await StoreBuckets.RulesAsync(s3, StorageBuckets.Exports)).Ours);
    }

    [Fact]
    public async Task With_the_store_unreachable_a_longer_retention_is_a_503_that_names_no_address_and_changes_nothing()
    {
        var tenant = await rgw.CreateTenantAsync();
        var closed = FreePort.Next();
        var settings = new Dictionary<string, string?> { ["Footage:Storage:S3:ServiceUrl"] = $"http://127.0.0.1:{closed}" };
        await using var server = await StartAsync(tenant.Storage, settings);

        var problem = await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "kept a year", rtsp_url = "rtsp://10.0.0.1/a", retention_days = 365 }))
            .AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("retention_days 365", detail, StringComparison.Ordinal);
        Assert.Contains("cannot be reached", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(closed.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(await server.Admin.GetFromJsonAsync<JsonElement[]>("api/v1/cameras") ?? []);
        // a camera on the default retention needs nothing from the store
        await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "default", rtsp_url = "rtsp://10.0.0.1/a" })).AssertJsonAsync(HttpStatusCode.Created);
    }

    private Task<FootageServer> StartAsync(S3User user, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(rgw.S3Settings(user), StringComparer.OrdinalIgnoreCase) { ["Footage:Storage:DefaultBackend"] = "s3" };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return FootageServer.StartAsync(DatabaseKind.Sqlite, settings: settings);
    }

    internal static async Task<JsonElement> HealthAsync(FootageServer server, string check)
    {
        var response = await server.Admin.GetAsync("health");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("checks").GetProperty(check).Clone();
    }
}

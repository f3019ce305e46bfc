using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Buckets;

/// <summary>
/// The lifecycle rules Footage sets act for real: on a RADOS Gateway whose lifecycle "day" lasts a few seconds, the store
/// itself deletes what has expired and keeps what must survive.
/// </summary>
public sealed class LifecycleExpiryTests(ShortDayRadosGateway rgw) : IClassFixture<ShortDayRadosGateway>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(ShortDayRadosGateway.DaySeconds * 30);

    [Fact]
    public async Task The_store_deletes_expired_recordings_exports_thumbnails_and_abandoned_uploads_and_keeps_clips()
    {
        var tenant = await rgw.CreateTenantAsync();
        var settings = new Dictionary<string, string?>(rgw.S3Settings(tenant.Storage), StringComparer.OrdinalIgnoreCase)
        {
            ["Footage:Storage:DefaultBackend"] = "s3",
            ["Footage:Storage:Retention:RecordingsDays"] = "1",
            ["Footage:Storage:Retention:ExportsDays"] = "1",
            ["Footage:Storage:Retention:ThumbnailsDays"] = "1",
        };
        await using (var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: settings))
        {
            await StoreBuckets.WaitUntilSetUpAsync(server);
        }

        using var s3 = rgw.ClientFor(tenant.Storage);
        Assert.Equal(2, await StoreBuckets.ExpiryDaysAsync(s3, StorageBuckets.Recordings));
        string[] expiring = [StorageBuckets.Recordings, StorageBuckets.Exports, StorageBuckets.Thumbnails];
        foreach (var bucket in expiring.Append(StorageBuckets.Clips))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "cam/2026/12/07/10-00-00.bin", ContentBody = bucket });
        }

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = StorageBuckets.Clips, Key = "holds/cam/held.ts", ContentBody = "held" });
        // a clip an admin deleted: cctv-clips is versioned (object lock), so its data stays as a noncurrent version until the rule removes it
        var deleted = await s3.PutObjectAsync(new PutObjectRequest { BucketName = StorageBuckets.Clips, Key = "incidents/deleted/clip.zip", ContentBody = "deleted clip" });
        await s3.DeleteObjectAsync(StorageBuckets.Clips, "incidents/deleted/clip.zip");
        Assert.True(await VersionExistsAsync(s3, StorageBuckets.Clips, "incidents/deleted/clip.zip", deleted.VersionId), "a delete leaves the data behind until the rule acts");
        var abandoned = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = StorageBuckets.Recordings, Key = "cam/abandoned.ts" });

        var deadline = DateTime.UtcNow + Patience;
        var left = expiring.ToList();
        var uploadsLeft = 1;
        var deletedLeft = true;
        while ((left.Count > 0 || uploadsLeft > 0 || deletedLeft) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            left = [.. await Task.WhenAll(left.Select(async b => await ExistsAsync(s3, b, "cam/2026/12/07/10-00-00.bin") ? b : null)).ContinueWith(t => t.Result.OfType<string>())];
            uploadsLeft = (await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = StorageBuckets.Recordings })).MultipartUploads?.Count ?? 0;
            deletedLeft = await VersionExistsAsync(s3, StorageBuckets.Clips, "incidents/deleted/clip.zip", deleted.VersionId);
        }

        Assert.True(left.Count == 0, $"expired objects the store kept after {Patience.TotalSeconds} s ({ShortDayRadosGateway.DaySeconds} s days): {string.Join(", ", left)}");
        Assert.True(uploadsLeft == 0, $"the abandoned multipart upload {abandoned.UploadId} was not aborted");
        Assert.False(deletedLeft, "the data of a deleted clip is removed from cctv-clips");
        Assert.True(await ExistsAsync(s3, StorageBuckets.Clips, "cam/2026/12/07/10-00-00.bin"), "an incident clip survives");
        Assert.True(await ExistsAsync(s3, StorageBuckets.Clips, "holds/cam/held.ts"), "held footage survives");
    }

    [Fact]
    public async Task A_legal_hold_keeps_an_object_version_that_an_expiry_rule_removes_without_one()
    {
        var tenant = await rgw.CreateTenantAsync();
        using var s3 = rgw.ClientFor(tenant.Storage);
        const string bucket = "lock-under-expiry";
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = true });
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration
            {
                Rules =
                [
                    new LifecycleRule
                    {
                        Id = "expire-everything", Status = LifecycleRuleStatus.Enabled,
                        Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } },
                        Expiration = new LifecycleRuleExpiration { Days = 1 },
                        NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 1 },
                    },
                ],
            },
        });
        var held = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "held.ts", ContentBody = "held footage" });
        await s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest
        {
            BucketName = bucket, Key = "held.ts", VersionId = held.VersionId, LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.On },
        });
        var free = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "free.ts", ContentBody = "not held" });

        var deadline = DateTime.UtcNow + Patience;
        while (await VersionExistsAsync(s3, bucket, "free.ts", free.VersionId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.False(await VersionExistsAsync(s3, bucket, "free.ts", free.VersionId), "the rule removes a version without a hold");
        Assert.True(await VersionExistsAsync(s3, bucket, "held.ts", held.VersionId), "the held version is still there");
        using var read = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "held.ts", VersionId = held.VersionId });
        Assert.Equal("held footage", await new StreamReader(read.ResponseStream).ReadToEndAsync());
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

    private static async Task<bool> VersionExistsAsync(AmazonS3Client s3, string bucket, string key, string versionId)
    {
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = key });
        return versions.Versions?.Any(v => v.Key == key && v.VersionId == versionId && v.IsDeleteMarker != true) ?? false;
    }
}

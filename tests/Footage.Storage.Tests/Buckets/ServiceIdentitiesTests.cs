using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Footage.Core.Storage;
using Footage.Storage.Buckets;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Buckets;

/// <summary>
/// Least privilege, on a real server: the deployment's policies (deploy/minio/policies) applied as bucket policies on
/// the RADOS Gateway, then every call each service makes allowed and every other one refused with AccessDenied.
/// </summary>
public sealed class ServiceIdentitiesTests(RadosGateway rgw, ITestOutputHelper output)
{
    private const string Segment = "cam/2026/12/07/10-00-00.ts";
    private const string Thumbnail = "cam/2026/12/07/10-00-00.jpg";
    private const string Export = "export/cam.mp4";
    private const string Clip = "incidents/clip.mp4";

    [Fact]
    public async Task Each_service_identity_may_do_what_its_module_does_and_is_refused_everything_else()
    {
        var tenant = await rgw.CreateDeployedTenantAsync();
        var (recording, playback, storage) = (tenant.Recording, tenant.Playback, tenant.Storage);

        // the Storage service sets up buckets it did not make, with its own identity
        await using (var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: rgw.S3Settings(tenant.Storage)))
        {
            await StoreBuckets.WaitUntilSetUpAsync(server);
            Assert.True(server.Get<BucketProvisioner>().State.ClipsObjectLock, server.Get<BucketProvisioner>().State.Description);
        }

        using (var s3 = rgw.ClientFor(storage))
        {
            Assert.Equal(91, await StoreBuckets.ExpiryDaysAsync(s3, StorageBuckets.Recordings));
        }

        var checks = new List<(S3User Who, string What, bool Allowed, Func<AmazonS3Client, Task> Call)>
        {
            // the recorder uploads segments (in one piece or in parts, aborting a failed upload) and thumbnails, reads them back
            (recording, "write a segment", true, s3 => PutAsync(s3, StorageBuckets.Recordings, Segment)),
            (recording, "write a segment in parts", true, s3 => MultipartAsync(s3, StorageBuckets.Recordings, "cam/parts.ts")),
            (recording, "abort an upload in parts", true, s3 => AbortedUploadAsync(s3, StorageBuckets.Recordings, "cam/aborted.ts")),
            (recording, "read a segment back", true, s3 => GetAsync(s3, StorageBuckets.Recordings, Segment)),
            (recording, "write a thumbnail", true, s3 => PutAsync(s3, StorageBuckets.Thumbnails, Thumbnail)),
            (recording, "read a thumbnail", true, s3 => GetAsync(s3, StorageBuckets.Thumbnails, Thumbnail)),
            (recording, "list recordings (health)", true, s3 => ListAsync(s3, StorageBuckets.Recordings)),
            (recording, "quarantine a conflicting recording", true, s3 => PutAsync(s3, StorageBuckets.Clips, "quarantine/" + Segment)),

            // the Storage service writes exports and clips, puts legal holds, copies held footage, sets the rules
            (storage, "write an export", true, s3 => PutAsync(s3, StorageBuckets.Exports, Export)),
            (storage, "write an export in parts", true, s3 => MultipartAsync(s3, StorageBuckets.Exports, "export/parts.mp4")),
            (storage, "read an export", true, s3 => GetAsync(s3, StorageBuckets.Exports, Export)),
            (storage, "write a clip", true, s3 => PutAsync(s3, StorageBuckets.Clips, Clip)),
            (storage, "read a clip", true, s3 => GetAsync(s3, StorageBuckets.Clips, Clip)),
            (storage, "copy a segment into cctv-clips (a hold)", true, s3 => CopyAsync(s3, StorageBuckets.Recordings, Segment, StorageBuckets.Clips, "holds/" + Segment)),
            (storage, "put a legal hold on a clip", true, s3 => LegalHoldAsync(s3, StorageBuckets.Clips, "holds/" + Segment)),
            (storage, "read a segment the recorder wrote", true, s3 => GetAsync(s3, StorageBuckets.Recordings, Segment)),
            (storage, "set a lifecycle rule", true, s3 => LifecycleAsync(s3, StorageBuckets.Exports)),
            (storage, "list every bucket", true, s3 => Task.WhenAll(StorageBuckets.All.Select(b => ListAsync(s3, b)))),

            // playback reads footage and thumbnails, nothing else
            (playback, "read a segment", true, s3 => GetAsync(s3, StorageBuckets.Recordings, Segment)),
            (playback, "read a thumbnail", true, s3 => GetAsync(s3, StorageBuckets.Thumbnails, Thumbnail)),
            (playback, "list recordings (health)", true, s3 => ListAsync(s3, StorageBuckets.Recordings)),

            // refused
            (recording, "delete a segment", false, s3 => DeleteAsync(s3, StorageBuckets.Recordings, Segment)),
            (recording, "delete a thumbnail", false, s3 => DeleteAsync(s3, StorageBuckets.Thumbnails, Thumbnail)),
            (recording, "read an export", false, s3 => GetAsync(s3, StorageBuckets.Exports, Export)),
            (recording, "write an export", false, s3 => PutAsync(s3, StorageBuckets.Exports, "export/forged.mp4")),
            (recording, "read a clip", false, s3 => GetAsync(s3, StorageBuckets.Clips, Clip)),
            (recording, "write a clip", false, s3 => PutAsync(s3, StorageBuckets.Clips, "incidents/forged.mp4")),
            (recording, "write a held copy", false, s3 => PutAsync(s3, StorageBuckets.Clips, "holds/" + Segment)),
            (recording, "list exports", false, s3 => ListAsync(s3, StorageBuckets.Exports)),
            (recording, "change a lifecycle rule", false, s3 => LifecycleAsync(s3, StorageBuckets.Recordings)),
            (recording, "lift a legal hold", false, s3 => LegalHoldAsync(s3, StorageBuckets.Clips, "holds/" + Segment, ObjectLockLegalHoldStatus.Off)),
            (playback, "write a segment", false, s3 => PutAsync(s3, StorageBuckets.Recordings, "cam/forged.ts")),
            (playback, "delete a segment", false, s3 => DeleteAsync(s3, StorageBuckets.Recordings, Segment)),
            (playback, "write a thumbnail", false, s3 => PutAsync(s3, StorageBuckets.Thumbnails, "cam/forged.jpg")),
            (playback, "read an export", false, s3 => GetAsync(s3, StorageBuckets.Exports, Export)),
            (playback, "write an export", false, s3 => PutAsync(s3, StorageBuckets.Exports, "export/forged.mp4")),
            (playback, "read a clip", false, s3 => GetAsync(s3, StorageBuckets.Clips, Clip)),
            (playback, "delete a clip", false, s3 => DeleteAsync(s3, StorageBuckets.Clips, Clip)),
            (playback, "change a lifecycle rule", false, s3 => LifecycleAsync(s3, StorageBuckets.Recordings)),
            (storage, "overwrite a segment the recorder wrote", false, s3 => PutAsync(s3, StorageBuckets.Recordings, Segment)),
            (storage, "write a thumbnail", false, s3 => PutAsync(s3, StorageBuckets.Thumbnails, "cam/forged.jpg")),
            (storage, "read a thumbnail", false, s3 => GetAsync(s3, StorageBuckets.Thumbnails, Thumbnail)),

            // last, the deletions the Storage service's retention makes
            (storage, "delete a segment (retention)", true, s3 => DeleteAsync(s3, StorageBuckets.Recordings, Segment)),
            (storage, "delete a thumbnail (retention)", true, s3 => DeleteAsync(s3, StorageBuckets.Thumbnails, Thumbnail)),
            (storage, "delete an export (expiry)", true, s3 => DeleteAsync(s3, StorageBuckets.Exports, Export)),
        };

        var wrong = new List<string>();
        foreach (var (who, what, allowed, call) in checks)
        {
            // a client per call: a refused upload must not leave anything on a connection that the next call reuses
            using var s3 = rgw.ClientFor(who);
            try
            {
                await call(s3);
                output.WriteLine($"{who}: {what}: allowed");
                if (!allowed)
                {
                    wrong.Add($"{who} may {what}, and should not");
                }
            }
            catch (AmazonS3Exception e) when (!allowed && e is { StatusCode: HttpStatusCode.Forbidden, ErrorCode: "AccessDenied" })
            {
                output.WriteLine($"{who}: {what}: AccessDenied");
            }
            catch (AmazonS3Exception e)
            {
                output.WriteLine($"{who}: {what}: {(int)e.StatusCode} {e.ErrorCode} {e.Message}");
                wrong.Add(allowed ? $"{who} cannot {what}: {e.ErrorCode} {e.Message}" : $"{who}: {what} refused with {e.ErrorCode}, not AccessDenied");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    private static async Task PutAsync(AmazonS3Client s3, string bucket, string key) =>
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = $"{bucket}/{key}" });

    private static async Task GetAsync(AmazonS3Client s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        Assert.Equal($"{bucket}/{key}".Length, (await new StreamReader(response.ResponseStream).ReadToEndAsync()).Length);
    }

    private static async Task DeleteAsync(AmazonS3Client s3, string bucket, string key) =>
        await s3.DeleteObjectAsync(bucket, key);

    private static async Task ListAsync(AmazonS3Client s3, string bucket) =>
        await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1 });

    private static async Task MultipartAsync(AmazonS3Client s3, string bucket, string key)
    {
        var upload = await s3.InitiateMultipartUploadAsync(bucket, key);
        var part = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = key, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[1000]), UseChunkEncoding = false,
        });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)],
        });
    }

    private static async Task AbortedUploadAsync(AmazonS3Client s3, string bucket, string key)
    {
        var upload = await s3.InitiateMultipartUploadAsync(bucket, key);
        await s3.AbortMultipartUploadAsync(bucket, key, upload.UploadId);
    }

    private static async Task CopyAsync(AmazonS3Client s3, string fromBucket, string fromKey, string toBucket, string toKey) =>
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = fromBucket, SourceKey = fromKey, DestinationBucket = toBucket, DestinationKey = toKey });

    private static async Task LegalHoldAsync(AmazonS3Client s3, string bucket, string key, string? status = null) =>
        await s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest
        {
            BucketName = bucket, Key = key, LegalHold = new ObjectLockLegalHold { Status = status is null ? ObjectLockLegalHoldStatus.On : new ObjectLockLegalHoldStatus(status) },
        });

    private static async Task LifecycleAsync(AmazonS3Client s3, string bucket) =>
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration
            {
                Rules = [new LifecycleRule { Id = BucketRules.RuleId, Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } }, Expiration = new LifecycleRuleExpiration { Days = 7 } }],
            },
        });
}

using System.Net;
using System.Net.Http.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Footage.Core.Storage;
using Footage.Storage.Backends;
using Footage.Storage.Buckets;
using Footage.Storage.Tests.Buckets;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Backends;

/// <summary>
/// The S3 client against a server that checks everything (Ceph's RADOS Gateway): the checksum behaviour Footage chose, and
/// what a wrong access key or secret looks like to an operator and to an API client.
/// </summary>
public sealed class StrictServerTests(RadosGateway rgw)
{
    private const string Signed = "AWS4-HMAC-SHA256 Credential=";

    [Fact]
    public async Task The_sdks_default_trailing_checksums_are_refused_by_the_strict_server_and_footages_choice_is_accepted()
    {
        var user = rgw.Identities.Storage;
        using (var buckets = new S3BucketAdmin(Options(user)))
        {
            await buckets.EnsureBucketsAsync(CancellationToken.None);
        }

        // the SDK as it comes: an aws-chunked body with a trailing CRC32 (RequestChecksumCalculation WHEN_SUPPORTED)
        using var asShipped = new AmazonS3Client(new BasicAWSCredentials(user.AccessKey, user.SecretKey),
            new AmazonS3Config { ServiceURL = rgw.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = rgw.Region, MaxErrorRetry = 0 });
        Assert.Equal(RequestChecksumCalculation.WHEN_SUPPORTED, asShipped.Config.RequestChecksumCalculation);
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => asShipped.PutObjectAsync(new PutObjectRequest
        {
            BucketName = StorageBuckets.Recordings, Key = $"strict/{Guid.NewGuid():N}.ts", InputStream = new MemoryStream(new byte[100_000]),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("XAmzContentSHA256Mismatch", refused.ErrorCode);

        // Footage's client: WHEN_REQUIRED, Content-MD5 on every upload, a small one and one in parts
        using var backend = new S3Backend(Options(user));
        var small = new byte[100_000];
        var large = new byte[(6 * 1024 * 1024) + 1];
        Random.Shared.NextBytes(large);
        foreach (var (key, content) in new[] { ($"strict/{Guid.NewGuid():N}.ts", small), ($"strict/{Guid.NewGuid():N}.ts", large) })
        {
            var stored = await backend.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(content), null, CancellationToken.None);
            Assert.Equal(content.Length, stored.Size);
        }

        using var ours = S3ClientFactory.Create(Options(user));
        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, ours.Config.RequestChecksumCalculation);
        Assert.Equal(ResponseChecksumValidation.WHEN_REQUIRED, ours.Config.ResponseChecksumValidation);
    }

    [Fact]
    public async Task Uploads_go_without_expect_continue_so_a_refused_one_leaves_the_connection_in_step_for_the_next_call()
    {
        // With "Expect: 100-continue" (the SDK's default on uploads) .NET sends the body once a second has passed without
        // an answer; the gateway, having refused the upload without reading it, takes that body for the next request, and
        // the next call on the connection gets its answer (400). On a loaded machine this failed 48 of 300 reads after a
        // refused upload with the SDK as shipped, none with Footage's client.
        var tenant = await rgw.CreateDeployedTenantAsync();
        using (var recorder = rgw.ClientFor(tenant.Recording))
        {
            await recorder.PutObjectAsync(new PutObjectRequest { BucketName = StorageBuckets.Recordings, Key = "cam/ok.ts", ContentBody = "recorded" });
        }

        await using var wire = new RequestCountingProxy(rgw.Port, "100-continue");
        using var playback = S3ClientFactory.Create(new S3BackendOptions { ServiceUrl = wire.Url, AccessKey = tenant.Playback.AccessKey, SecretKey = tenant.Playback.SecretKey });
        var failed = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
                playback.PutObjectAsync(new PutObjectRequest { BucketName = StorageBuckets.Exports, Key = "forged.mp4", ContentBody = $"not allowed {i}" }));
            Assert.Equal("AccessDenied", refused.ErrorCode);
            try
            {
                using var read = await playback.GetObjectAsync(StorageBuckets.Recordings, "cam/ok.ts");
                Assert.Equal("recorded", await new StreamReader(read.ResponseStream).ReadToEndAsync());
            }
            catch (AmazonS3Exception e)
            {
                failed.Add($"{i}: {e.ErrorCode}");
            }
        }

        Assert.Equal(0, wire.Count);
        Assert.True(failed.Count == 0, $"reads after a refused upload failed: {string.Join(", ", failed)}");
    }

    [Theory]
    [InlineData("secret", "SignatureDoesNotMatch", "Footage:Storage:S3:SecretKey")]
    [InlineData("access-key", "InvalidAccessKeyId", "Footage:Storage:S3:AccessKey")]
    public async Task Wrong_credentials_give_a_health_entry_and_a_503_that_say_which_setting_and_the_store_is_not_asked_again_and_again(
        string wrong, string errorCode, string setting)
    {
        var user = rgw.Identities.Storage;
        await using var proxy = new RequestCountingProxy(rgw.Port, Signed);
        var settings = new Dictionary<string, string?>(rgw.S3Settings(user), StringComparer.OrdinalIgnoreCase)
        {
            ["Footage:Storage:DefaultBackend"] = "s3",
            ["Footage:Storage:S3:ServiceUrl"] = proxy.Url,
            [wrong == "secret" ? "Footage:Storage:S3:SecretKey" : "Footage:Storage:S3:AccessKey"] = wrong == "secret" ? user.SecretKey[..^4] + "XXXX" : "AKNOSUCHKEY000000000",
        };
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: settings);
        var provisioner = server.Get<BucketProvisioner>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (provisioner.State.Status != BucketSetupStatus.Failed && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(BucketSetupStatus.Failed, provisioner.State.Status);
        var afterSetUp = proxy.Count;
        Assert.True(afterSetUp == 1, $"setting up asked the store {afterSetUp} times with refused credentials (once is enough)");

        var buckets = await BucketSetupTests.HealthAsync(server, "s3_buckets");
        var backends = await BucketSetupTests.HealthAsync(server, "storage_backends");
        foreach (var entry in new[] { buckets, backends })
        {
            Assert.Equal("Unhealthy", entry.GetProperty("status").GetString());
            var description = entry.GetProperty("description").GetString()!;
            Assert.True(description.Contains(errorCode, StringComparison.Ordinal) && description.Contains(setting, StringComparison.Ordinal), description);
        }

        // an API call that needs the store: one request to it (a 403 is not retried), a 503 that says why and not where
        var before = proxy.Count;
        var segment = new { camera_id = Guid.NewGuid(), start_time = "2026-12-07T10:00:00Z", end_time = "2026-12-07T10:01:00Z", size_bytes = 10, checksum = new string('a', 64) };
        var problem = await (await server.Admin.PostAsJsonAsync("api/v1/storage/segments", segment)).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(1, proxy.Count - before);
        // (a HEAD, whose 403 has no body to say which of the two settings is wrong)
        Assert.Contains(setting, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(new Uri(proxy.Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetRawText(), StringComparison.Ordinal);

        // and nothing keeps knocking meanwhile
        var quiet = proxy.Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(quiet, proxy.Count);
    }

    private S3BackendOptions Options(S3User user) => new() { ServiceUrl = rgw.ServiceUrl, AccessKey = user.AccessKey, SecretKey = user.SecretKey, MultipartThresholdBytes = 5L * 1024 * 1024 };
}

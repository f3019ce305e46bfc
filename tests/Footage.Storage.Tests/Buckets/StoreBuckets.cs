using Amazon.S3;
using Amazon.S3.Model;
using Footage.Storage.Buckets;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Buckets;

/// <summary>What the tests read back from the store about the buckets Footage set up.</summary>
internal static class StoreBuckets
{
    public static async Task WaitUntilSetUpAsync(FootageServer server)
    {
        var provisioner = server.Get<BucketProvisioner>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (provisioner.State.Status is BucketSetupStatus.Pending && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(provisioner.State.Status == BucketSetupStatus.Ready, provisioner.State.ToString());
    }

    /// <summary>Footage's rule in the bucket (and every rule, for the message).</summary>
    public static async Task<(LifecycleRule? Ours, List<LifecycleRule> All)> RulesAsync(AmazonS3Client client, string bucket)
    {
        try
        {
            var rules = (await client.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket })).Configuration?.Rules ?? [];
            return (rules.SingleOrDefault(r => r.Id == BucketRules.RuleId), rules);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchLifecycleConfiguration")
        {
            return (null, []);
        }
    }

    public static async Task<int?> ExpiryDaysAsync(AmazonS3Client client, string bucket) => (await RulesAsync(client, bucket)).Ours?.Expiration?.Days;
}

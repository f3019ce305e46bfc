using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Footage.Core.Storage;
using Footage.Storage.Backends;

namespace Footage.Storage.Buckets;

/// <summary>
/// The four buckets through the S3 API alone, so on any S3 (MinIO, AWS, Ceph RGW): made when missing, cctv-clips with
/// S3 Object Lock where the store has it, and Footage's lifecycle rule in each. S3 errors are left to the caller.
/// </summary>
public sealed class S3BucketAdmin(S3BackendOptions options) : IDisposable
{
    private readonly AmazonS3Client _client = S3ClientFactory.Create(options);

    /// <summary>Makes whichever bucket is missing; returns whether cctv-clips has object lock.</summary>
    public async Task<bool> EnsureBucketsAsync(CancellationToken cancellationToken)
    {
        foreach (var bucket in StorageBuckets.All)
        {
            await CreateAsync(bucket, objectLock: bucket == StorageBuckets.Clips, cancellationToken);
        }

        return await HasObjectLockAsync(StorageBuckets.Clips, cancellationToken);
    }

    public async Task<bool> HasObjectLockAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }, cancellationToken);
            return response.ObjectLockConfiguration?.ObjectLockEnabled == ObjectLockEnabled.Enabled;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotImplemented or HttpStatusCode.BadRequest && e.ErrorCode != "NoSuchBucket")
        {
            return false; // no lock configuration, or a store without object lock
        }
    }

    /// <summary>
    /// Puts Footage's rule in the bucket's lifecycle configuration, keeping every other rule; nothing is sent when it is
    /// there already. A store that refuses the abort of unfinished uploads in a rule (MinIO has none) gets the rule
    /// without it; with nothing left (cctv-clips) Footage's rule is left out.
    /// </summary>
    public async Task ApplyAsync(BucketRule rule, CancellationToken cancellationToken)
    {
        var existing = await GetRulesAsync(rule.Bucket, cancellationToken);
        if (existing.FirstOrDefault(r => r.Id == BucketRules.RuleId) is { } ours && Matches(ours, rule))
        {
            return;
        }

        try
        {
            await PutRulesAsync(rule.Bucket, existing, rule, cancellationToken);
        }
        catch (AmazonS3Exception e) when (rule.AbortUploadsAfterDays is not null && e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotImplemented &&
                                          e.ErrorCode is not ("NoSuchBucket" or "SignatureDoesNotMatch" or "InvalidAccessKeyId"))
        {
            var withoutAbort = rule with { AbortUploadsAfterDays = null };
            if (withoutAbort.ExpireDays is null && withoutAbort.NoncurrentVersionsAfterDays is null && existing.All(r => r.Id != BucketRules.RuleId))
            {
                return;
            }

            await PutRulesAsync(rule.Bucket, existing, withoutAbort, cancellationToken);
        }
    }

    private async Task PutRulesAsync(string bucket, List<LifecycleRule> existing, BucketRule rule, CancellationToken cancellationToken)
    {
        var rules = existing.Where(r => r.Id != BucketRules.RuleId).ToList();
        if (rule.ExpireDays is not null || rule.AbortUploadsAfterDays is not null || rule.NoncurrentVersionsAfterDays is not null)
        {
            rules.Add(ToLifecycleRule(rule));
        }

        if (rules.Count == 0)
        {
            await _client.DeleteLifecycleConfigurationAsync(new DeleteLifecycleConfigurationRequest { BucketName = bucket }, cancellationToken);
            return;
        }

        await _client.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration { Rules = rules },
        }, cancellationToken);
    }

    private static bool Matches(LifecycleRule ours, BucketRule rule) =>
        ours.Status == LifecycleRuleStatus.Enabled && ours.Expiration?.Days == rule.ExpireDays &&
        ours.AbortIncompleteMultipartUpload?.DaysAfterInitiation == rule.AbortUploadsAfterDays &&
        ours.NoncurrentVersionExpiration?.NoncurrentDays == rule.NoncurrentVersionsAfterDays && IsWholeBucket(ours);

    /// <summary>The fewest days after which an enabled rule of the bucket expires every object in it; null when none does.</summary>
    public async Task<int?> ExpiryDaysAsync(string bucket, CancellationToken cancellationToken) =>
        (await GetRulesAsync(bucket, cancellationToken))
            .Where(r => r.Status == LifecycleRuleStatus.Enabled && IsWholeBucket(r) && r.Expiration?.Days is > 0)
            .Select(r => r.Expiration.Days)
            .Min();

    public void Dispose() => _client.Dispose();

    private async Task CreateAsync(string bucket, bool objectLock, CancellationToken cancellationToken)
    {
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = objectLock ? true : null }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (IsThereAlready(e))
        {
        }
        catch (AmazonS3Exception e) when (objectLock && e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotImplemented)
        {
            // a store without object lock: the bucket without it (holds then rest on Footage's catalog alone; the health entry says so)
            try
            {
                await _client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
            }
            catch (AmazonS3Exception again) when (IsThereAlready(again))
            {
            }
        }
    }

    private static bool IsThereAlready(AmazonS3Exception e) =>
        e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists" || e.StatusCode == HttpStatusCode.Conflict;

    private async Task<List<LifecycleRule>> GetRulesAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket }, cancellationToken);
            return response.Configuration?.Rules ?? [];
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchLifecycleConfiguration")
        {
            return [];
        }
    }

    private static LifecycleRule ToLifecycleRule(BucketRule rule) => new()
    {
        Id = BucketRules.RuleId,
        Status = LifecycleRuleStatus.Enabled,
        Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = string.Empty } },
        Expiration = rule.ExpireDays is { } days ? new LifecycleRuleExpiration { Days = days } : null,
        AbortIncompleteMultipartUpload = rule.AbortUploadsAfterDays is { } abort ? new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = abort } : null,
        NoncurrentVersionExpiration = rule.NoncurrentVersionsAfterDays is { } noncurrent ? new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = noncurrent } : null,
    };

#pragma warning disable CS0618 // a rule written with the older top-level Prefix (no Filter) still limits itself to that prefix
    private static bool IsWholeBucket(LifecycleRule rule) =>
        string.IsNullOrEmpty(rule.Prefix) && rule.Filter?.LifecycleFilterPredicate switch
        {
            null => string.IsNullOrEmpty(rule.Filter?.Prefix) && rule.Filter?.Tag is null && rule.Filter?.And is null,
            LifecyclePrefixPredicate p => string.IsNullOrEmpty(p.Prefix),
            _ => false,
        };
#pragma warning restore CS0618
}

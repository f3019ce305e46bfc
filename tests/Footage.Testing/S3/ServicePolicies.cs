using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Footage.Core.Storage;

namespace Footage.Testing;

/// <summary>
/// The deployment's least-privilege policies (<c>deploy/minio/policies/{storage,recording,playback}.json</c>, MinIO's user
/// policies) as bucket policies on the RADOS Gateway: each statement of a service's policy becomes, in every bucket it
/// names, a statement with that service's user as principal. So the tests check the very files the compose file ships.
/// </summary>
public static class ServicePolicies
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "deploy", "minio", "policies");

    /// <summary>The bucket policy of each of the four buckets for the tenant's three identities.</summary>
    public static IReadOnlyDictionary<string, string> BucketPoliciesFor(S3Tenant tenant)
    {
        var statements = StorageBuckets.All.ToDictionary(b => b, _ => new JsonArray());
        foreach (var (service, user) in new[] { ("storage", tenant.Storage), ("recording", tenant.Recording), ("playback", tenant.Playback) })
        {
            var policy = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, service + ".json")))!;
            var number = 0;
            foreach (var statement in policy["Statement"]!.AsArray())
            {
                var resources = statement!["Resource"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
                foreach (var byBucket in resources.GroupBy(BucketOf))
                {
                    statements[byBucket.Key].Add(new JsonObject
                    {
                        ["Sid"] = $"{service}{++number}",
                        ["Effect"] = statement["Effect"]!.GetValue<string>(),
                        ["Principal"] = new JsonObject { ["AWS"] = new JsonArray(user.Principal) },
                        ["Action"] = statement["Action"]!.DeepClone(),
                        ["Resource"] = new JsonArray([.. byBucket.Select(r => (JsonNode)r)]),
                    });
                }
            }
        }

        return statements.ToDictionary(kv => kv.Key, kv => new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = kv.Value }.ToJsonString());
    }

    /// <summary>As the tenant's owner: the four buckets (cctv-clips with object lock) and their bucket policies.</summary>
    public static async Task ApplyAsync(RadosGateway rgw, S3Tenant tenant)
    {
        var owner = tenant.Owner ?? throw new ArgumentException("the tenant has no owner", nameof(tenant));
        using var s3 = rgw.ClientFor(owner);
        foreach (var bucket in StorageBuckets.All)
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = bucket == StorageBuckets.Clips ? true : null });
        }

        foreach (var (bucket, policy) in BucketPoliciesFor(tenant))
        {
            try
            {
                await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = policy });
            }
            catch (AmazonS3Exception e)
            {
                throw new InvalidOperationException($"The gateway refused the policy of {bucket} ({e.ErrorCode}: {e.Message}): {policy}", e);
            }
        }
    }

    private static string BucketOf(string resource)
    {
        const string prefix = "arn:aws:s3:::";
        if (!resource.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"unexpected resource {resource}");
        }

        var name = resource[prefix.Length..];
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? name : name[..slash];
    }
}

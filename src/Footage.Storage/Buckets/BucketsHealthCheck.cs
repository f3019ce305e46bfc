using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Footage.Storage.Buckets;

/// <summary>The S3 buckets' set-up: ready, not yet (store unreachable), refused (credentials or permissions), or ready with something to fix (no object lock on cctv-clips, another rule expiring recordings too soon).</summary>
public sealed class BucketsHealthCheck(BucketProvisioner provisioner) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = provisioner.State;
        return Task.FromResult(state.Status switch
        {
            BucketSetupStatus.NotUsed => HealthCheckResult.Healthy(state.Description),
            BucketSetupStatus.Ready when state.ClipsObjectLock != false && !state.Warning => HealthCheckResult.Healthy(state.Description),
            BucketSetupStatus.Failed => HealthCheckResult.Unhealthy(state.Description),
            _ => HealthCheckResult.Degraded(state.Description),
        });
    }
}

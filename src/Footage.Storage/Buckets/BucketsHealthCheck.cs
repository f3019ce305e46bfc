using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Footage.Storage.Buckets;

/// <summary>The S3 buckets' set-up: ready, not yet (store unreachable), refused (credentials or permissions), or ready without object lock on cctv-clips.</summary>
public sealed class BucketsHealthCheck(BucketProvisioner provisioner) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = provisioner.State;
        return Task.FromResult(state.Status switch
        {
            BucketSetupStatus.NotUsed or BucketSetupStatus.Ready when state.ClipsObjectLock != false => HealthCheckResult.Healthy(state.Description),
            BucketSetupStatus.Failed => HealthCheckResult.Unhealthy(state.Description),
            _ => HealthCheckResult.Degraded(state.Description),
        });
    }
}

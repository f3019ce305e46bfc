using Footage.Milestone.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Footage.Milestone.Health;

/// <summary>Milestone is reachable when it signs us in. Unreachable is Degraded: our own footage still records and plays.</summary>
public sealed class MilestoneHealthCheck(MilestoneSession session) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await session.TokenAsync(timeout.Token);
            return HealthCheckResult.Healthy("signed in");
        }
        catch (MilestoneException e)
        {
            return HealthCheckResult.Degraded(e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("Milestone did not answer within 10 s.");
        }
    }
}

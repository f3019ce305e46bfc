using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Footage.Playback.Caching;

/// <summary>The cache answers; Valkey down is Degraded, not Unhealthy: playback still works, only slower.</summary>
public sealed class PlaybackCacheHealthCheck(IPlaybackCache cache) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await cache.GetAsync("health-probe", timeout.Token);
            return HealthCheckResult.Healthy(cache.Kind);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"{cache.Kind}: {e.Message}");
        }
    }
}

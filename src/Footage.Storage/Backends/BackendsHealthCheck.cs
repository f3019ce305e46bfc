using Footage.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Backends;

/// <summary>Each backend is reachable and writable; a disk under its free-space floor is a warning (Degraded).</summary>
public sealed class BackendsHealthCheck(IStorageBackendRegistry registry, IOptions<StorageOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var failures = new List<string>();
        var warnings = new List<string>();
        foreach (var name in registry.Names)
        {
            var backend = registry.Get(name);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await backend.CheckHealthAsync(timeout.Token);
                data[name] = "reachable";
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                data[name] = "unreachable";
                failures.Add($"{name}: {e.Message}");
                continue;
            }

            if (backend.GetAvailableFreeBytes() is { } free)
            {
                data[$"{name}_free_bytes"] = free;
                if (options.Value.Retention.Backends.TryGetValue(name, out var limits) && limits.MinFreeBytes is { } floor && free < floor)
                {
                    warnings.Add($"{name}: {free} bytes free, under the floor of {floor}");
                }
            }
        }

        if (failures.Count > 0)
        {
            return HealthCheckResult.Unhealthy(string.Join("; ", failures), data: data);
        }

        return warnings.Count > 0
            ? HealthCheckResult.Degraded(string.Join("; ", warnings), data: data)
            : HealthCheckResult.Healthy($"{string.Join(", ", registry.Names)} reachable", data);
    }
}

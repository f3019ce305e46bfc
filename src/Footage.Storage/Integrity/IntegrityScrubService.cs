using Footage.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Integrity;

/// <summary>
/// Runs the integrity scrub in the background (<c>Footage:Storage:Scrub</c>): one process at a time across all (a lease),
/// a reconciliation every ReconcileInterval, a pass over every segment every PassInterval, at BytesPerSecond.
/// </summary>
public sealed class IntegrityScrubService(IntegrityScrub scrub, JobLease lease, IOptions<StorageOptions> options, TimeProvider clock, ILogger<IntegrityScrubService> logger)
    : BackgroundService
{
    public const string LeaseName = "integrity_scrub";
    private static readonly TimeSpan LeaseFor = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Scrub.Enabled)
        {
            return;
        }

        var holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var throttle = new ScrubThrottle(options.Value.Scrub.BytesPerSecond, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await WorkAsync(holder, throttle, stoppingToken))
                {
                    throttle.Restart();
                    await Task.Delay(Idle, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Integrity scrub step failed; retrying in {Delay}", Idle);
                await lease.ReleaseAsync(LeaseName, holder, CancellationToken.None);
                try
                {
                    await Task.Delay(Idle, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await lease.ReleaseAsync(LeaseName, holder, CancellationToken.None);
    }

    /// <summary>Does one step of due work under the lease (renewed before each object); false when nothing is due or another process scrubs.</summary>
    private async Task<bool> WorkAsync(string holder, ScrubThrottle throttle, CancellationToken cancellationToken)
    {
        var state = await scrub.StateAsync(cancellationToken);
        var reconcile = scrub.ReconcileDue(state);
        var pass = scrub.PassDue(state);
        if ((!reconcile && !pass) || !await lease.TryAcquireAsync(LeaseName, holder, LeaseFor, cancellationToken))
        {
            await lease.ReleaseAsync(LeaseName, holder, cancellationToken);
            return false;
        }

        if (reconcile)
        {
            var report = await scrub.ReconcileAsync(cancellationToken);
            logger.LogInformation("Integrity reconciliation: {Objects} objects, findings {@Findings}", report.Objects, report.Findings);
            return true;
        }

        var step = new ScrubReport();
        if (!await scrub.CheckNextAsync(throttle, step, cancellationToken))
        {
            logger.LogInformation("Integrity scrub pass completed");
        }

        return true;
    }
}

using Footage.ServiceDefaults.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// Writes the coalesced refusal counts within a second of the first refusal counted (the rest of a flood falls into the
/// same write); every hour deletes refusals older than <c>RefusedAudit:KeepDays</c>. Nothing wakes it while nothing is refused.
/// </summary>
public sealed class RefusalAuditFlusher(RefusalAuditor auditor, AuditLog log, IOptions<SecurityOptions> options, TimeProvider clock, ILogger<RefusalAuditFlusher> logger)
    : BackgroundService
{
    private static readonly TimeSpan FlushAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPrune = clock.GetUtcNow();
        var counts = auditor.WaitForCountsAsync(stoppingToken);
        try
        {
            while (true)
            {
                if (clock.GetUtcNow() >= nextPrune)
                {
                    nextPrune = clock.GetUtcNow() + PruneEvery;
                    await PruneAsync(stoppingToken);
                }

                var wait = nextPrune - clock.GetUtcNow();
                using var untilPrune = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var prune = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock, untilPrune.Token);
                if (await Task.WhenAny(counts, prune) == counts)
                {
                    await untilPrune.CancelAsync();
                    await counts;
                    await Task.Delay(FlushAfter, clock, stoppingToken);
                    await auditor.FlushAsync(stoppingToken);
                    counts = auditor.WaitForCountsAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // what was counted until the host stopped
            await auditor.FlushAsync(CancellationToken.None);
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var deleted = await log.DeleteRefusedBeforeAsync(clock.GetUtcNow().AddDays(-options.Value.RefusedAudit.KeepDays), cancellationToken);
            if (deleted > 0)
            {
                logger.LogInformation("Deleted {Count} refused attempts older than {Days} days from the audit log", deleted, options.Value.RefusedAudit.KeepDays);
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning(e, "Could not delete old refused attempts from the audit log; trying again in an hour");
        }
    }
}

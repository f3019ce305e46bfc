using Footage.ServiceDefaults.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Audit;

/// <summary>Every second writes the coalesced refusal counts; every hour deletes refusals older than <c>RefusedAudit:KeepDays</c>.</summary>
public sealed class RefusalAuditFlusher(RefusalAuditor auditor, AuditLog log, IOptions<SecurityOptions> options, TimeProvider clock, ILogger<RefusalAuditFlusher> logger)
    : BackgroundService
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPrune = clock.GetUtcNow();
        using var timer = new PeriodicTimer(FlushEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await auditor.FlushAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextPrune)
                {
                    nextPrune = clock.GetUtcNow() + PruneEvery;
                    await PruneAsync(stoppingToken);
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

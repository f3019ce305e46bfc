using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Milestone.Sync;

/// <summary>Runs <see cref="MilestoneSync"/> every <see cref="MilestoneOptions.SyncInterval"/> (not at all when it is zero).</summary>
public sealed class MilestoneSyncService(MilestoneSync sync, IOptions<MilestoneOptions> options, TimeProvider clock, ILogger<MilestoneSyncService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SyncInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                var report = await sync.RunAsync(null, stoppingToken);
                logger.LogInformation("Milestone sync: {Registered} segments registered, {Imported} cameras imported, {Problems} problems",
                    report.SegmentsRegistered, report.CamerasImported, report.Problems.Count);
            }
            catch (MilestoneException e)
            {
                logger.LogWarning("Milestone sync failed: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

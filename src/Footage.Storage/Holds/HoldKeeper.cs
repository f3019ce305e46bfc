using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Holds;

/// <summary>
/// Runs <see cref="HeldFootage.SweepAsync"/> as soon as holds change in this process and every
/// <c>Footage:Storage:Holds:SweepInterval</c> (holds placed by another process, holds that ended with time, failed copies).
/// </summary>
public sealed class HoldKeeper(HeldFootage held, SegmentHoldLedger ledger, IOptions<StorageOptions> options, TimeProvider clock, ILogger<HoldKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sweep = await held.SweepAsync(stoppingToken);
                if (sweep.Moved + sweep.Released + sweep.Failed > 0)
                {
                    logger.LogInformation("Hold keeper: {@Sweep}", sweep);
                }

                await ledger.WaitForChangeAsync(options.Value.Holds.SweepInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Hold keeper sweep failed; retrying");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

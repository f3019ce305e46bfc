using Footage.ServiceDefaults.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// Writes widened viewings <see cref="AccessAuditOptions.FlushAfter"/> after the first change (the rest of a live viewing's
/// refreshes fall into the same write), and what is left when the host stops. Nothing wakes it while nobody watches.
/// </summary>
public sealed class AccessLogFlusher(AccessLog access, IOptions<SecurityOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await access.WaitForChangesAsync(stoppingToken);
                await Task.Delay(options.Value.AccessAudit.FlushAfter, clock, stoppingToken);
                await access.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await access.FlushAsync(CancellationToken.None);
        }
    }
}

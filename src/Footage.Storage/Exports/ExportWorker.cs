using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Footage.Core.Custody;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.ServiceDefaults.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Footage.Storage.Backends;

namespace Footage.Storage.Exports;

/// <summary>
/// Takes PENDING exports one at a time (any number of hosts may run a worker; a claim is atomic), builds
/// them in the scratch folder within its quota (<see cref="WorkLimiter"/>), stores file and manifest in
/// <c>cctv-exports</c>, and marks them COMPLETED or FAILED with the reason. An export that needs more scratch than is
/// free now goes back to the queue; one that needs more than the whole quota fails saying so.
/// A crashed worker's export is taken up again once its heartbeat is stale.
/// </summary>
public sealed class ExportWorker(
    ExportRepository exports,
    ExportBuilder builder,
    IStorageBackendRegistry backends,
    IFootageCustody custody,
    WorkLimiter limiter,
    IOptions<StorageOptions> options,
    IOptions<WorkOptions> workOptions,
    TimeProvider clock,
    ILogger<ExportWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Wakes the worker now instead of at its next poll.</summary>
    public void Notify() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Exports;
        if (!settings.WorkerEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await exports.RequeueStaleAsync(settings.StaleAfter, stoppingToken);
                while (await exports.ClaimNextAsync(stoppingToken) is { } export)
                {
                    if (!await ProcessAsync(export, stoppingToken))
                    {
                        break; // scratch is full: wait for the next poll
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Export worker loop failed; retrying");
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(PollEvery);
                await _wake.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // poll interval elapsed
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A failed export leaves nothing in the exports bucket: what it had uploaded goes.</summary>
    private async Task RemoveAsync(Guid exportId, List<(IStorageBackend Backend, string Key)> uploaded)
    {
        foreach (var (backend, key) in uploaded)
        {
            try
            {
                await backend.DeleteAsync(StorageBuckets.Exports, key, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Export {ExportId} failed and its object {Key} could not be removed", exportId, key);
            }
        }
    }

    /// <summary>Makes the export; false when it went back to the queue because its scratch is not free now.</summary>
    public async Task<bool> ProcessAsync(Export export, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var scratchBytes = Math.Max(1, await builder.ScratchBytesAsync(export, cancellationToken));
        if (scratchBytes > workOptions.Value.ScratchQuotaBytes)
        {
            await exports.FailAsync(export.Id, $"The export needs {scratchBytes:N0} bytes of scratch space, more than Footage:Work:ScratchQuotaBytes " +
                $"({workOptions.Value.ScratchQuotaBytes:N0}) allows: export a shorter range or fewer cameras.", CancellationToken.None);
            StorageMetrics.Exports.WithLabels("failed").Inc();
            return true;
        }

        using var scratch = limiter.TryReserveScratch("export:" + export.Id.ToString("N"), scratchBytes);
        if (scratch is null)
        {
            await exports.RequeueAsync(export.Id, CancellationToken.None);
            logger.LogInformation("Export {ExportId} waits: it needs {Bytes} bytes of scratch space, not free now", export.Id, scratchBytes);
            return false;
        }

        var work = scratch.Folder!;
        // Beats on its own while the export is made: stitching or uploading a long range takes longer than
        // StaleAfter, and a silent worker's export would be taken over and made twice.
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var beats = BeatAsync(export.Id, beating.Token);
        var uploaded = new List<(IStorageBackend Backend, string Key)>();
        try
        {
            logger.LogInformation("Export {ExportId}: {Cameras} camera(s) from {Start} to {End}", export.Id, export.CameraIds.Count, export.StartTime, export.EndTime);
            var built = await builder.BuildAsync(export, work, cancellationToken);
            var backend = backends.Default;
            var fileKey = $"{export.Id:D}/{built.FileName}";
            await using (var file = File.OpenRead(built.LocalPath))
            {
                await backend.PutAsync(StorageBuckets.Exports, fileKey, file, built.Sha256, cancellationToken);
                uploaded.Add((backend, fileKey));
            }

            var manifestKey = $"{export.Id:D}/manifest.json";
            var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(built.Manifest, ExportBuilder.ManifestJson);
            await using (var manifest = new MemoryStream(manifestBytes))
            {
                await backend.PutAsync(StorageBuckets.Exports, manifestKey, manifest, null, cancellationToken);
                uploaded.Add((backend, manifestKey));
            }

            var expiresAt = clock.GetUtcNow() + TimeSpan.FromDays(options.Value.Retention.ExportsDays);
            // recorded before completing: an export that is not in the custody log of its incidents is never downloadable
            await custody.RecordAsync(new FootageEvent(FootageActions.ExportCompleted, "system", export.CameraIds, new TimeRange(export.StartTime, export.EndTime),
                $"export {export.Id:D}", new Dictionary<string, string> { ["export"] = built.Sha256 }), cancellationToken);
            await exports.CompleteAsync(export.Id, backend.Name, fileKey, built.Size, built.Sha256, manifestKey, expiresAt, cancellationToken);
            StorageMetrics.Exports.WithLabels("completed").Inc();
            StorageMetrics.ExportDuration.WithLabels("completed").Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            logger.LogInformation("Export {ExportId} completed: {Size} bytes, SHA-256 {Sha256}", export.Id, built.Size, built.Sha256);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = e switch
            {
                ExportFailedException => e.Message,
                Ffmpeg.FfmpegException f => $"Stitching failed: {f.StderrTail}",
                _ => $"The export could not be made: {e.Message}",
            };
            logger.LogWarning(e, "Export {ExportId} failed: {Reason}", export.Id, reason);
            await exports.FailAsync(export.Id, reason, CancellationToken.None);
            await RemoveAsync(export.Id, uploaded);
            StorageMetrics.Exports.WithLabels("failed").Inc();
            StorageMetrics.ExportDuration.WithLabels("failed").Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            await beating.CancelAsync();
            await beats;
        }

        return true;
    }

    private async Task BeatAsync(Guid exportId, CancellationToken cancellationToken)
    {
        var every = options.Value.Exports.StaleAfter / 4;
        using var timer = new PeriodicTimer(every > TimeSpan.FromMilliseconds(100) ? every : TimeSpan.FromMilliseconds(100), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await exports.HeartbeatAsync(exportId, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Export {ExportId}: could not record the heartbeat; trying again", exportId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the export is done
        }
    }
}

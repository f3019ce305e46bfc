using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Footage.Core.Custody;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Footage.Storage.Backends;

namespace Footage.Storage.Exports;

/// <summary>
/// Takes PENDING exports one at a time (any number of hosts may run a worker; a claim is atomic), builds
/// them, stores file and manifest in <c>cctv-exports</c>, and marks them COMPLETED or FAILED with the reason.
/// A crashed worker's export is taken up again once its heartbeat is stale.
/// </summary>
public sealed class ExportWorker(
    ExportRepository exports,
    ExportBuilder builder,
    IStorageBackendRegistry backends,
    IFootageCustody custody,
    IOptions<StorageOptions> options,
    IOptions<FootageOptions> footage,
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
                    await ProcessAsync(export, stoppingToken);
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

    public async Task ProcessAsync(Export export, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var root = options.Value.Exports.WorkDirectory is { Length: > 0 } configured
            ? configured
            : Path.Combine(FootageOptions.ResolveDataDirectory(footage.Value.DataDirectory), "exports-work");
        var work = Path.Combine(Path.GetFullPath(root), export.Id.ToString("N"));
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
            try
            {
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not remove the work folder {Folder}", work);
            }
        }
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

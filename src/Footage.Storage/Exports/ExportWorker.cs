using System.Diagnostics;
using Footage.Core.Custody;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.ServiceDefaults.Work;
using Footage.Storage.Backends;
using Footage.Storage.Evidence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Exports;

/// <summary>
/// Takes PENDING exports one at a time, builds each one's signed evidence package in scratch within its quota, stores it
/// and its manifest in <c>cctv-exports</c>, and marks the export COMPLETED or FAILED with the reason.
/// </summary>
public sealed class ExportWorker(
    ExportRepository exports,
    ExportBuilder builder,
    IStorageBackendRegistry backends,
    IFootageCustody custody,
    FootageStitcher stitcher,
    WorkLimiter limiter,
    IOptions<StorageOptions> options,
    IOptions<WorkOptions> work,
    TimeProvider clock,
    ILogger<ExportWorker> logger) : EvidenceJobWorker<Export>("export", limiter, work, clock, logger)
{
    protected override bool Enabled => options.Value.Exports.WorkerEnabled;

    protected override TimeSpan StaleAfter => options.Value.Exports.StaleAfter;

    protected override Guid IdOf(Export job) => job.Id;

    protected override Task RequeueStaleAsync(CancellationToken cancellationToken) => exports.RequeueStaleAsync(StaleAfter, cancellationToken);

    protected override Task<Export?> ClaimNextAsync(CancellationToken cancellationToken) => exports.ClaimNextAsync(cancellationToken);

    protected override Task HeartbeatAsync(Guid id, CancellationToken cancellationToken) => exports.HeartbeatAsync(id, cancellationToken);

    protected override Task RequeueAsync(Guid id, CancellationToken cancellationToken) => exports.RequeueAsync(id, cancellationToken);

    protected override Task<long> ScratchBytesAsync(Export job, CancellationToken cancellationToken) =>
        stitcher.ScratchBytesAsync(job.CameraIds, job.StartTime, job.EndTime, cancellationToken);

    protected override async Task MakeAsync(Export export, string workFolder, Uploads uploads, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Logger.LogInformation("Export {ExportId}: {Cameras} camera(s) from {Start} to {End}", export.Id, export.CameraIds.Count, export.StartTime, export.EndTime);
        var package = await builder.BuildAsync(export, workFolder, cancellationToken);
        var backend = backends.Default;
        var fileKey = $"{export.Id:D}/{ExportBuilder.FileName(export.Id)}";
        await using (var file = File.OpenRead(package.LocalPath))
        {
            await uploads.PutAsync(backend, StorageBuckets.Exports, fileKey, file, package.Sha256, cancellationToken);
        }

        var manifestKey = $"{export.Id:D}/manifest.json";
        await using (var manifest = new MemoryStream(package.Manifest))
        {
            await uploads.PutAsync(backend, StorageBuckets.Exports, manifestKey, manifest, null, cancellationToken);
        }

        var expiresAt = Clock.GetUtcNow() + TimeSpan.FromDays(options.Value.Retention.ExportsDays);
        // recorded before completing: an export that is not in the custody log of its incidents is never downloadable
        await custody.RecordAsync(new FootageEvent(FootageActions.ExportCompleted, "system", export.CameraIds, new TimeRange(export.StartTime, export.EndTime),
            $"export {export.Id:D}", new Dictionary<string, string> { ["export"] = package.Sha256 }), cancellationToken);
        await exports.CompleteAsync(export.Id, backend.Name, fileKey, package.Size, package.Sha256, manifestKey, expiresAt, cancellationToken);
        StorageMetrics.Exports.WithLabels("completed").Inc();
        StorageMetrics.ExportDuration.WithLabels("completed").Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        Logger.LogInformation("Export {ExportId} completed: {Size} bytes, SHA-256 {Sha256}", export.Id, package.Size, package.Sha256);
    }

    protected override async Task FailAsync(Export export, string reason, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        await exports.FailAsync(export.Id, reason, cancellationToken);
        StorageMetrics.Exports.WithLabels("failed").Inc();
        StorageMetrics.ExportDuration.WithLabels("failed").Observe(elapsed.TotalSeconds);
    }
}

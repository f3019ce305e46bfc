using Footage.Core.Custody;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Evidence;
using Footage.ServiceDefaults.Work;
using Footage.Storage.Backends;
using Footage.Storage.Evidence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Clips;

/// <summary>
/// Takes PENDING clips one at a time, builds each one's signed evidence package and stores it and its manifest in
/// <c>cctv-clips</c> under <c>incidents/{incident_id}/{clip_id}/</c>, records it in the incident's chain of custody, and marks the
/// clip COMPLETED or FAILED with the reason. Nothing in the product deletes from that prefix except an admin's deletion.
/// </summary>
public sealed class ClipWorker(
    ClipRepository clips,
    ClipBuilder builder,
    IStorageBackendRegistry backends,
    IFootageCustody custody,
    FootageStitcher stitcher,
    WorkLimiter limiter,
    IOptions<StorageOptions> options,
    IOptions<WorkOptions> work,
    TimeProvider clock,
    ILogger<ClipWorker> logger) : EvidenceJobWorker<Clip>("clip", limiter, work, clock, logger)
{
    protected override bool Enabled => options.Value.Clips.WorkerEnabled;

    protected override TimeSpan StaleAfter => options.Value.Clips.StaleAfter;

    protected override Guid IdOf(Clip job) => job.Id;

    protected override Task RequeueStaleAsync(CancellationToken cancellationToken) => clips.RequeueStaleAsync(StaleAfter, cancellationToken);

    protected override Task<Clip?> ClaimNextAsync(CancellationToken cancellationToken) => clips.ClaimNextAsync(cancellationToken);

    protected override Task HeartbeatAsync(Guid id, CancellationToken cancellationToken) => clips.HeartbeatAsync(id, cancellationToken);

    protected override Task RequeueAsync(Guid id, CancellationToken cancellationToken) => clips.RequeueAsync(id, cancellationToken);

    protected override Task<long> ScratchBytesAsync(Clip job, CancellationToken cancellationToken) =>
        stitcher.ScratchBytesAsync(job.CameraIds, job.StartTime, job.EndTime, cancellationToken);

    protected override async Task MakeAsync(Clip clip, string workFolder, Uploads uploads, CancellationToken cancellationToken)
    {
        Logger.LogInformation("Clip {ClipId} of incident {IncidentId}: {Cameras} camera(s) from {Start} to {End}",
            clip.Id, clip.IncidentId, clip.CameraIds.Count, clip.StartTime, clip.EndTime);
        var package = await builder.BuildAsync(clip, workFolder, cancellationToken);
        var backend = backends.Default;
        var prefix = ClipBuilder.Prefix(clip.IncidentId, clip.Id);
        var fileKey = prefix + ClipBuilder.FileName(clip.Id);
        var manifestKey = prefix + EvidenceFiles.Manifest;
        // cctv-clips is write-once (a put never replaces an object) and a package's signature differs on every build: what
        // an attempt at this clip that died before completing left goes first (no completed clip points at it)
        await backend.DeleteAsync(StorageBuckets.Clips, fileKey, cancellationToken);
        await backend.DeleteAsync(StorageBuckets.Clips, manifestKey, cancellationToken);
        await using (var file = File.OpenRead(package.LocalPath))
        {
            await uploads.PutAsync(backend, StorageBuckets.Clips, fileKey, file, package.Sha256, cancellationToken);
        }

        var manifestSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(package.Manifest));
        await using (var manifest = new MemoryStream(package.Manifest))
        {
            await uploads.PutAsync(backend, StorageBuckets.Clips, manifestKey, manifest, manifestSha, cancellationToken);
        }

        // recorded before completing: a clip that is not in its incident's chain of custody is never downloadable
        await custody.RecordAsync(Event(clip, FootageActions.ClipCompleted, "system",
            new Dictionary<string, string> { ["clip"] = package.Sha256, ["manifest"] = manifestSha }), cancellationToken);
        await clips.CompleteAsync(clip.Id, new ClipRepository.Stored(backend.Name, fileKey, manifestKey, package.Size, package.Sha256, manifestSha,
            builder.KeyFingerprint), cancellationToken);
        StorageMetrics.Clips.WithLabels("completed").Inc();
        Logger.LogInformation("Clip {ClipId} completed: {Size} bytes, SHA-256 {Sha256}", clip.Id, package.Size, package.Sha256);
    }

    protected override async Task FailAsync(Clip clip, string reason, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        await clips.FailAsync(clip.Id, reason, cancellationToken);
        StorageMetrics.Clips.WithLabels("failed").Inc();
        try
        {
            await custody.RecordAsync(Event(clip, FootageActions.ClipFailed, "system", new Dictionary<string, string>(),
                new Dictionary<string, string> { ["error"] = reason }), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Logger.LogWarning(e, "Clip {ClipId} failed and the failure could not be recorded in the chain of custody", clip.Id);
        }
    }

    /// <summary>A footage event of the clip, recorded in its own incident's log whatever that incident covers now.</summary>
    public static FootageEvent Event(Clip clip, string action, string actor, IReadOnlyDictionary<string, string> hashes, IReadOnlyDictionary<string, string>? notes = null) =>
        new(action, actor, clip.CameraIds, new TimeRange(clip.StartTime, clip.EndTime), $"clip {clip.Id:D}", hashes, notes, clip.IncidentId);
}

using System.Diagnostics;
using System.Threading.Channels;
using Footage.Core.Storage;
using Footage.ServiceDefaults.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Evidence;

/// <summary>
/// Takes queued jobs (exports, clips) one at a time: any number of hosts may run a worker, a claim is atomic, and a crashed
/// worker's job is taken up again once its heartbeat is stale. While a job is made it beats on its own (stitching a long range
/// takes longer than the stale time), works in its own scratch folder within the scratch quota (<see cref="WorkLimiter"/>:
/// a job that needs more than is free now goes back to the queue, one that needs more than the whole quota fails saying
/// so), and remembers what it uploaded so that a failed job leaves nothing in the bucket.
/// </summary>
public abstract class EvidenceJobWorker<TJob>(string kind, WorkLimiter limiter, IOptions<WorkOptions> work, TimeProvider clock, ILogger logger) : BackgroundService
    where TJob : class
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);
    protected TimeProvider Clock { get; } = clock;

    protected ILogger Logger { get; } = logger;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Objects a job has stored so far: removed again if it fails.</summary>
    public sealed class Uploads
    {
        internal List<(IStorageBackend Backend, string Bucket, string Key)> Items { get; } = [];

        public async Task PutAsync(IStorageBackend backend, string bucket, string key, Stream content, string? sha256, CancellationToken cancellationToken)
        {
            await backend.PutAsync(bucket, key, content, sha256, cancellationToken);
            Items.Add((backend, bucket, key));
        }
    }

    /// <summary>Wakes the worker now instead of at its next poll.</summary>
    public void Notify() => _wake.Writer.TryWrite(true);

    protected abstract bool Enabled { get; }

    protected abstract TimeSpan StaleAfter { get; }

    protected abstract Guid IdOf(TJob job);

    protected abstract Task RequeueStaleAsync(CancellationToken cancellationToken);

    protected abstract Task<TJob?> ClaimNextAsync(CancellationToken cancellationToken);

    protected abstract Task HeartbeatAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Gives a claimed job back to the queue untouched (its scratch is not free now).</summary>
    protected abstract Task RequeueAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The scratch the job takes at most (<see cref="FootageStitcher.ScratchBytesAsync"/>).</summary>
    protected abstract Task<long> ScratchBytesAsync(TJob job, CancellationToken cancellationToken);

    /// <summary>Makes the job, stores what it made through <paramref name="uploads"/>, and marks it done.</summary>
    protected abstract Task MakeAsync(TJob job, string workFolder, Uploads uploads, CancellationToken cancellationToken);

    /// <summary>Marks the job failed with a reason the requester reads; <paramref name="elapsed"/> for the metrics.</summary>
    protected abstract Task FailAsync(TJob job, string reason, TimeSpan elapsed, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RequeueStaleAsync(stoppingToken);
                while (await ClaimNextAsync(stoppingToken) is { } job)
                {
                    if (!await ProcessAsync(job, stoppingToken))
                    {
                        break; // scratch is full: wait for the next poll
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Logger.LogError(e, "The {Kind} worker loop failed; retrying", kind);
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

    /// <summary>Makes the job; false when it went back to the queue because its scratch is not free now.</summary>
    public async Task<bool> ProcessAsync(TJob job, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var id = IdOf(job);
        var scratchBytes = Math.Max(1, await ScratchBytesAsync(job, cancellationToken));
        if (scratchBytes > work.Value.ScratchQuotaBytes)
        {
            await FailAsync(job, $"The {kind} needs {scratchBytes:N0} bytes of scratch space, more than Footage:Work:ScratchQuotaBytes " +
                $"({work.Value.ScratchQuotaBytes:N0}) allows: make it of a shorter range or fewer cameras.", Stopwatch.GetElapsedTime(started), CancellationToken.None);
            return true;
        }

        using var scratch = limiter.TryReserveScratch($"{kind}:{id:N}", scratchBytes);
        if (scratch is null)
        {
            await RequeueAsync(id, CancellationToken.None);
            Logger.LogInformation("The {Kind} {Id} waits: it needs {Bytes} bytes of scratch space, not free now", kind, id, scratchBytes);
            return false;
        }

        using var beating = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var beats = BeatAsync(id, beating.Token);
        var uploads = new Uploads();
        try
        {
            await MakeAsync(job, scratch.Folder!, uploads, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = e switch
            {
                EvidenceFailedException => e.Message,
                Ffmpeg.FfmpegException f => $"Stitching failed: {f.StderrTail}",
                _ => $"The {kind} could not be made: {e.Message}",
            };
            Logger.LogWarning(e, "The {Kind} {Id} failed: {Reason}", kind, id, reason);
            await FailAsync(job, reason, Stopwatch.GetElapsedTime(started), CancellationToken.None);
            await RemoveAsync(id, uploads);
        }
        finally
        {
            await beating.CancelAsync();
            await beats;
        }

        return true;
    }

    private async Task RemoveAsync(Guid id, Uploads uploads)
    {
        foreach (var (backend, bucket, key) in uploads.Items)
        {
            try
            {
                await backend.DeleteAsync(bucket, key, CancellationToken.None);
            }
            catch (Exception e)
            {
                Logger.LogWarning(e, "The {Kind} {Id} failed and its object {Bucket}/{Key} could not be removed", kind, id, bucket, key);
            }
        }
    }

    private async Task BeatAsync(Guid id, CancellationToken cancellationToken)
    {
        var every = StaleAfter / 4;
        using var timer = new PeriodicTimer(every > TimeSpan.FromMilliseconds(100) ? every : TimeSpan.FromMilliseconds(100), Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await HeartbeatAsync(id, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Logger.LogWarning(e, "The {Kind} {Id}: could not record the heartbeat; trying again", kind, id);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the job is done
        }
    }
}

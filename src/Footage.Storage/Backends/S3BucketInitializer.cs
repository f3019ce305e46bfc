using Footage.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Backends;

/// <summary>
/// Creates the four buckets on the S3 backend at start when configured to. Runs in the background and
/// retries: object storage being down at start must not stop recording (segments wait in the spool).
/// </summary>
public sealed class S3BucketInitializer(IStorageBackendRegistry registry, IOptions<StorageOptions> options, TimeProvider clock, ILogger<S3BucketInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.S3.Enabled || !options.Value.S3.CreateBuckets ||
            !registry.TryGet(S3Backend.BackendName, out var backend) || (backend as InstrumentedBackend)?.Inner is not S3Backend s3)
        {
            return;
        }

        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await s3.EnsureBucketsAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not create the S3 buckets yet ({Error}); retrying in {Delay}", e.Message, delay);
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
            }
        }
    }
}

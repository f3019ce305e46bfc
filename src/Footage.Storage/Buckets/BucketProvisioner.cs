using Footage.Core.Storage;
using Footage.Storage.Backends;
using Footage.Storage.Cameras;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Buckets;

/// <summary>
/// The Storage service sets up the S3 buckets at start (<c>Footage:Storage:S3:CreateBuckets</c>, the default): the four
/// buckets, cctv-clips with object lock where the store has it, and each bucket's lifecycle rule (<see cref="BucketRules"/>).
/// A store that cannot be reached is retried with backoff (recording goes on into the spool meanwhile); one that refuses
/// this service's credentials or permissions is not, and the health entry says why. A camera's longer
/// <c>retention_days</c> raises the recordings rule first (<see cref="CoverRetentionAsync"/>). With CreateBuckets off the
/// buckets are an operator's: their rules are read, and a retention longer than the recordings rule is refused.
/// </summary>
public sealed partial class BucketProvisioner(
    IOptions<StorageOptions> options, CameraRepository cameras, TimeProvider clock, ILogger<BucketProvisioner> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changing = new(1, 1);
    private S3BucketAdmin? _admin;
    private int _longestRequested;

    public BucketSetup State { get; private set; } = options.Value.S3.Enabled ? new(BucketSetupStatus.Pending, "not set up yet") : BucketSetup.NoS3;

    private bool Managed => options.Value.S3.CreateBuckets;

    private S3BucketAdmin Admin => _admin ??= new S3BucketAdmin(options.Value.S3);

    /// <summary>
    /// Makes sure the store keeps recordings at least <paramref name="retentionDays"/> days (plus the margin) before a
    /// camera is given that retention: raises Footage's rule, or, with the buckets an operator's, checks theirs.
    /// Throws a problem (503 when the store fails, 409 when an operator's rule is shorter) and changes nothing then.
    /// </summary>
    public async Task CoverRetentionAsync(int retentionDays, CancellationToken cancellationToken)
    {
        if (!options.Value.S3.Enabled)
        {
            return;
        }

        var needed = BucketRules.RecordingsExpiryFor(retentionDays);
        await _changing.WaitAsync(cancellationToken);
        try
        {
            if (State is { Status: BucketSetupStatus.Ready, RecordingsExpiryDays: var kept } && (kept is null || kept >= needed))
            {
                return;
            }

            if (Managed)
            {
                _longestRequested = Math.Max(_longestRequested, retentionDays);
                var rule = BucketRules.Recordings(options.Value.Retention.RecordingsDays, _longestRequested);
                await Reach(async () =>
                {
                    await Admin.ApplyAsync(rule, cancellationToken);
                    return true;
                }, "changing the lifecycle rules of", retentionDays, needed);
                LogRecordingsRuleRaised(rule.ExpireDays ?? 0, retentionDays);
            }

            // every enabled rule of the bucket counts, Footage's or another: the shortest expiry is what the store does
            var days = await Reach(() => Admin.ExpiryDaysAsync(StorageBuckets.Recordings, cancellationToken), "reading the lifecycle rules of", retentionDays, needed);
            State = State with { RecordingsExpiryDays = days };
            if (days is not null && days < needed)
            {
                throw new RetentionConflictException(
                    $"retention_days {retentionDays} is longer than the object store keeps recordings: a lifecycle rule of {StorageBuckets.Recordings} " +
                    $"expires them after {days} days. An administrator must raise or remove that rule (at least {needed} days) first" +
                    (Managed ? " (it is not Footage's own rule)." : " (Footage does not manage the buckets here: Footage:Storage:S3:CreateBuckets is false)."));
            }
        }
        finally
        {
            _changing.Release();
        }
    }

    public override void Dispose()
    {
        _admin?.Dispose();
        _changing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.S3.Enabled)
        {
            return;
        }

        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SetUpAsync(stoppingToken);
                return;
            }
            catch (Amazon.S3.AmazonS3Exception e) when (!S3Failures.IsUnreachable(e, stoppingToken))
            {
                // refused credentials or permissions, or a request the store rejects: retrying cannot help
                var reason = S3Failures.IsCredentialsRefused(e) || S3Failures.IsAccessDenied(e)
                    ? S3Failures.Unavailable(e, "setting up", "the buckets").Message
                    : $"the object store rejected the set-up ({e.ErrorCode}: {e.Message}).";
                State = new BucketSetup(BucketSetupStatus.Failed, reason, Managed: Managed);
                LogRefused(reason);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var reason = S3Failures.IsUnreachable(e, stoppingToken) ? "the object store cannot be reached" : e.Message;
                State = new BucketSetup(BucketSetupStatus.Pending, $"not set up yet: {reason}", Managed: Managed);
                LogRetrying(e.Message, delay);
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
            }
        }
    }

    private async Task SetUpAsync(CancellationToken cancellationToken)
    {
        await _changing.WaitAsync(cancellationToken);
        try
        {
            if (!Managed)
            {
                var clipsLock = await Admin.HasObjectLockAsync(StorageBuckets.Clips, cancellationToken);
                var expiry = await Admin.ExpiryDaysAsync(StorageBuckets.Recordings, cancellationToken);
                State = new BucketSetup(BucketSetupStatus.Ready, Describe(clipsLock, expiry, managed: false), clipsLock, expiry, Managed: false);
                return;
            }

            var objectLock = await Admin.EnsureBucketsAsync(cancellationToken);
            var longest = (await cameras.RetentionOverridesAsync(cancellationToken)).Values.DefaultIfEmpty(0).Max();
            _longestRequested = Math.Max(_longestRequested, longest);
            var rules = BucketRules.For(options.Value.Retention, _longestRequested);
            foreach (var rule in rules)
            {
                await Admin.ApplyAsync(rule, cancellationToken);
            }

            var ours = rules.Single(r => r.Bucket == StorageBuckets.Recordings).ExpireDays;
            var effective = await Admin.ExpiryDaysAsync(StorageBuckets.Recordings, cancellationToken);
            var description = Describe(objectLock, ours, managed: true);
            var shorter = effective < ours;
            if (shorter)
            {
                description += $"; but another lifecycle rule of {StorageBuckets.Recordings} expires recordings after {effective} days, sooner than " +
                               "Footage's retention: remove it (mc ilm rule rm, or your store's console)";
            }

            State = new BucketSetup(BucketSetupStatus.Ready, description, objectLock, effective, Warning: shorter);
            LogReady(State.Description);
        }
        finally
        {
            _changing.Release();
        }
    }

    private string Describe(bool clipsLock, int? recordingsExpiry, bool managed)
    {
        var retention = options.Value.Retention;
        var rules = managed
            ? $"recordings expire after {recordingsExpiry} days, exports {retention.ExportsDays}, thumbnails {retention.ThumbnailsDays}, clips never"
            : $"set up by an operator; recordings expire {(recordingsExpiry is { } d ? $"after {d} days" : "never")}";
        var locking = clipsLock
            ? "cctv-clips has object lock"
            : "cctv-clips has no object lock on this store: held footage is protected by Footage alone";
        return $"buckets ready: {rules}; {locking}";
    }

    private static async Task<T> Reach<T>(Func<Task<T>> call, string operation, int retentionDays, int needed)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (S3Failures.IsKnown(e, CancellationToken.None) || e is Amazon.S3.AmazonS3Exception)
        {
            var problem = S3Failures.Unavailable(e, operation, StorageBuckets.Recordings);
            throw new ObjectStoreUnavailableException(
                $"retention_days {retentionDays} needs the object store to keep recordings at least {needed} days, and {operation} {StorageBuckets.Recordings} failed: {problem.Message} The camera was not changed.", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "S3 {Description}")]
    private partial void LogReady(string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "The lifecycle rule of cctv-recordings now expires recordings after {Days} days, for a camera kept {RetentionDays} days")]
    private partial void LogRecordingsRuleRaised(int days, int retentionDays);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not set up the S3 buckets yet ({Error}); retrying in {Delay}")]
    private partial void LogRetrying(string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The S3 buckets cannot be set up and will not be retried until the configuration is corrected: {Problem}")]
    private partial void LogRefused(string problem);
}

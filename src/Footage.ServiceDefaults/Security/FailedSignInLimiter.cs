using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Security;

/// <summary>
/// The failed sign-ins of each client address, in fixed windows (the framework's <see cref="FixedWindowRateLimiter"/>, one
/// per address, idle ones dropped). As the rate limiting middleware's limiter it only looks: a request is admitted while
/// its address has failures left in the window and is answered 429 once they are spent, before authentication runs, so a
/// blocked address cannot try a key at all, not even a right one. <see cref="RecordFailure"/> spends one after a
/// credential did not verify.
/// </summary>
public sealed partial class FailedSignInLimiter : PartitionedRateLimiter<HttpContext>
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly FailedSignInOptions _options;
    private readonly ILogger<FailedSignInLimiter> _logger;

    public FailedSignInLimiter(IOptions<SecurityOptions> options, ILogger<FailedSignInLimiter> logger)
    {
        _options = options.Value.FailedSignIns;
        _logger = logger;
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, _options.Limit),
            Window = _options.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => window));
    }

    public bool Enabled => _options.Limit > 0;

    /// <summary>One credential from this request's address did not verify.</summary>
    public void RecordFailure(HttpContext context)
    {
        if (!Enabled)
        {
            return;
        }

        var address = ClientAddress.Of(context);
        using var lease = _failures.AttemptAcquire(address);
        if (lease.IsAcquired && _failures.GetStatistics(address)?.CurrentAvailablePermits == 0)
        {
            LogBlocked(_logger, address, _options.Limit, _options.Window);
        }
    }

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => _failures.GetStatistics(ClientAddress.Of(resource));

    // permit count 0: whether the address has failures left, without spending one
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        Enabled ? _failures.AttemptAcquire(ClientAddress.Of(resource), 0) : Admitted.Instance;

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _failures.Dispose();
        }

        base.Dispose(disposing);
    }

    [LoggerMessage(LogLevel.Warning, "Client {ClientAddress} presented {Limit} credentials that did not verify within {Window}: its requests are refused (429) until the window ends")]
    private static partial void LogBlocked(ILogger logger, string clientAddress, int limit, TimeSpan window);

    private sealed class Admitted : RateLimitLease
    {
        public static readonly Admitted Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

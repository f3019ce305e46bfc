using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Security;

/// <summary>
/// The failed sign-ins of each client address, in fixed windows that start with the address's first failure. A request is
/// admitted while its address has failures left in the window and is answered 429 once they are spent, before
/// authentication runs, so a blocked address cannot try a key at all, not even a right one. <see cref="RecordFailure"/>
/// spends one after a credential did not verify.
/// </summary>
/// <remarks>
/// Written by hand rather than with the framework's partitioned rate limiter: that one runs a 100 ms heartbeat for as long
/// as the process lives, and its wake-ups (with the rate limiting middleware's own) were a third of an idle recorder's
/// timer activity. Here nothing runs between requests: a window is compared with the clock when it is looked at, and
/// ended windows are dropped when failures are recorded.
/// </remarks>
public sealed partial class FailedSignInLimiter(IOptions<SecurityOptions> options, TimeProvider clock, ILogger<FailedSignInLimiter> logger)
{
    /// <summary>Above this many addresses, ended windows are swept out when a failure is recorded, at most once a window.</summary>
    internal const int SweepAbove = 1024;

    private readonly FailedSignInOptions _options = options.Value.FailedSignIns;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public bool Enabled => _options.Limit > 0;

    internal int TrackedAddresses => _windows.Count;

    /// <summary>How long this request's address stays refused, or null when it may sign in.</summary>
    public TimeSpan? RefusedFor(HttpContext context) => RefusedFor(ClientAddress.Of(context));

    internal TimeSpan? RefusedFor(string address)
    {
        if (!Enabled || !_windows.TryGetValue(address, out var window))
        {
            return null;
        }

        var left = window.Ends - clock.GetUtcNow();
        return left > TimeSpan.Zero && window.Failures >= _options.Limit ? left : null;
    }

    /// <summary>One credential from this request's address did not verify.</summary>
    public void RecordFailure(HttpContext context) => RecordFailure(ClientAddress.Of(context));

    internal void RecordFailure(string address)
    {
        if (!Enabled)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var window = _windows.AddOrUpdate(
            address,
            static (_, state) => new Window(state.Now + state.Length, 1),
            static (_, window, state) => window.Ends <= state.Now ? new Window(state.Now + state.Length, 1) : window with { Failures = window.Failures + 1 },
            (Now: now, Length: _options.Window));
        if (window.Failures == _options.Limit)
        {
            LogBlocked(logger, address, _options.Limit, _options.Window);
        }

        // many guessing addresses at once must not make every failure walk them all
        var nextSweep = Interlocked.Read(ref _nextSweepTicks);
        if (_windows.Count > SweepAbove && now.UtcTicks >= nextSweep &&
            Interlocked.CompareExchange(ref _nextSweepTicks, (now + _options.Window).UtcTicks, nextSweep) == nextSweep)
        {
            foreach (var (key, tracked) in _windows)
            {
                if (tracked.Ends <= now)
                {
                    _windows.TryRemove(new KeyValuePair<string, Window>(key, tracked));
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Client {ClientAddress} presented {Limit} credentials that did not verify within {Window}: its requests are refused (429) until the window ends")]
    private static partial void LogBlocked(ILogger logger, string clientAddress, int limit, TimeSpan window);

    private readonly record struct Window(DateTimeOffset Ends, int Failures);
}

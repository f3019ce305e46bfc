using Footage.ServiceDefaults.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>The failed sign-in windows on a fake clock: when an address is refused, for how long, and that ended windows go.</summary>
public sealed class FailedSignInLimiterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));

    private FailedSignInLimiter Limiter(int limit) => new(
        Options.Create(new SecurityOptions { FailedSignIns = new FailedSignInOptions { Limit = limit, Window = TimeSpan.FromMinutes(1) } }),
        _clock,
        NullLogger<FailedSignInLimiter>.Instance);

    [Fact]
    public void An_address_is_refused_from_its_limit_until_the_window_that_its_first_failure_opened_ends()
    {
        var limiter = Limiter(3);
        limiter.RecordFailure("10.0.0.1");
        _clock.Advance(TimeSpan.FromSeconds(20));
        limiter.RecordFailure("10.0.0.1");
        Assert.Null(limiter.RefusedFor("10.0.0.1"));

        limiter.RecordFailure("10.0.0.1");
        Assert.Equal(TimeSpan.FromSeconds(40), limiter.RefusedFor("10.0.0.1"));
        Assert.Null(limiter.RefusedFor("10.0.0.2"));

        _clock.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.RefusedFor("10.0.0.1"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(limiter.RefusedFor("10.0.0.1"));

        // a failure after the window opens a new one: counting starts again
        limiter.RecordFailure("10.0.0.1");
        limiter.RecordFailure("10.0.0.1");
        Assert.Null(limiter.RefusedFor("10.0.0.1"));
    }

    [Fact]
    public void Ended_windows_are_swept_out_once_many_addresses_are_tracked()
    {
        var limiter = Limiter(3);
        for (var i = 0; i <= FailedSignInLimiter.SweepAbove; i++)
        {
            limiter.RecordFailure($"10.0.{i / 256}.{i % 256}");
        }

        Assert.Equal(FailedSignInLimiter.SweepAbove + 1, limiter.TrackedAddresses);
        _clock.Advance(TimeSpan.FromMinutes(2));
        limiter.RecordFailure("192.168.1.1");
        Assert.Equal(1, limiter.TrackedAddresses);
    }

    [Fact]
    public void A_limit_of_zero_counts_nothing_and_refuses_no_one()
    {
        var limiter = Limiter(0);
        for (var i = 0; i < 10; i++)
        {
            limiter.RecordFailure("10.0.0.1");
        }

        Assert.False(limiter.Enabled);
        Assert.Null(limiter.RefusedFor("10.0.0.1"));
        Assert.Equal(0, limiter.TrackedAddresses);
    }
}

using Microsoft.Extensions.Time.Testing;

namespace Footage.Recording.Tests.Cameras;

/// <summary>
/// A machine's two clocks, faked: the monotonic clock and the timers are a <see cref="FakeTimeProvider"/>'s, and the
/// wall clock is that plus <see cref="Step"/>, which a test changes as an operator or NTP steps the system clock.
/// </summary>
public sealed class SteppedClock : TimeProvider
{
    public FakeTimeProvider Monotonic { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public TimeSpan Step { get; set; }

    public override DateTimeOffset GetUtcNow() => Monotonic.GetUtcNow() + Step;

    public override long GetTimestamp() => Monotonic.GetTimestamp();

    public override long TimestampFrequency => Monotonic.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Monotonic.CreateTimer(callback, state, dueTime, period);
}

using Footage.Recording.Processes;
using Footage.Recording.Spool;

namespace Footage.Recording.Cameras;

/// <summary>
/// The time of one ffmpeg run. It reads the wall clock once, when the run starts, and from then on counts the
/// monotonic clock, so that a step of the system clock (NTP correcting it, an operator setting it) during the run
/// moves neither its anchor nor its segments: they stay continuous from the anchor. The anchor is never put before
/// <c>notBefore</c>, the end of footage already recorded for the camera, so that a run started after the clock was
/// stepped back does not overlap it.
/// </summary>
public sealed class RunTimeline(TimeProvider clock, DateTimeOffset? notBefore)
{
    private readonly DateTimeOffset _startWall = clock.GetUtcNow();
    private readonly long _startTimestamp = clock.GetTimestamp();
    private readonly Lock _gate = new();
    private RunAnchor? _anchor;
    private DateTimeOffset? _estimate;

    /// <summary>The run's anchor once ffmpeg reported progress, else null.</summary>
    public RunAnchor? Anchor
    {
        get
        {
            lock (_gate)
            {
                return _anchor;
            }
        }
    }

    /// <summary>How far the run's anchor was put after its own estimate so as not to overlap earlier footage (zero normally).</summary>
    public TimeSpan Shift
    {
        get
        {
            lock (_gate)
            {
                return _anchor is not null && _estimate is { } estimate ? _anchor.Start - estimate : TimeSpan.Zero;
            }
        }
    }

    /// <summary>The run's time for a monotonic timestamp: the wall clock at the start plus the monotonic time since.</summary>
    public DateTimeOffset At(long timestamp) => _startWall + clock.GetElapsedTime(_startTimestamp, timestamp);

    /// <summary>
    /// How far the run's times are ahead of the wall clock now (negative: behind): zero unless the clock was stepped
    /// during the run or the anchor had to be moved after earlier footage.
    /// </summary>
    public TimeSpan OffsetFromWallClock()
    {
        var now = clock.GetTimestamp();
        return At(now) + Shift - clock.GetUtcNow();
    }

    /// <summary>
    /// Takes a progress report: it gives a latest possible time zero (when it was read, less what had been muxed by
    /// then). Until the first segment closes the earliest of them is the tightest anchor; afterwards the anchor is
    /// fixed. Returns the anchor when it changed (to be written), else null.
    /// </summary>
    public RunAnchor? Offer(ProgressReport report, bool segmentClosed)
    {
        var estimate = At(report.ReceivedTimestamp) - report.OutTime;
        lock (_gate)
        {
            if (_anchor is not null && segmentClosed)
            {
                return null;
            }

            _estimate = _estimate is { } earlier && earlier <= estimate ? earlier : estimate;
            var candidate = notBefore is { } floor && _estimate < floor ? floor : _estimate.Value;
            if (_anchor is not null && candidate >= _anchor.Start)
            {
                return null;
            }

            _anchor = new RunAnchor(candidate);
            return _anchor;
        }
    }
}

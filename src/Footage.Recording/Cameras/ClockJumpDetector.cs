using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Cameras;

/// <summary>
/// Watches the wall clock against the monotonic clock: they advance together (NTP slews both alike), so a change of
/// their difference larger than <see cref="RecordingOptions.ClockJumpThreshold"/> is a step of the system clock. Each is
/// logged, counted in <c>footage_recording_clock_jumps_total</c> and shown in the status of every camera. Recording
/// itself does not depend on it: supervision runs on the monotonic clock and a run keeps its anchor
/// (see <see cref="RunTimeline"/>).
/// </summary>
public sealed partial class ClockJumpDetector(StatusBoard statuses, IOptions<RecordingOptions> options, TimeProvider clock, ILogger<ClockJumpDetector> logger)
    : BackgroundService
{
    private static readonly TimeSpan LookInterval = TimeSpan.FromSeconds(1);
    private readonly DateTimeOffset _startWall = clock.GetUtcNow();
    private readonly long _startTimestamp = clock.GetTimestamp();
    private readonly Lock _gate = new();
    private TimeSpan _offset;
    private ClockJump? _last;
    private int _count;

    /// <summary>The last jump seen since the process started, null when none.</summary>
    public ClockJump? Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Compares the clocks once; returns the jump since the previous look, if there was one.</summary>
    public ClockJump? Look()
    {
        var now = clock.GetUtcNow();
        var offset = now - (_startWall + clock.GetElapsedTime(_startTimestamp));
        ClockJump? jump = null;
        lock (_gate)
        {
            var step = offset - _offset;
            _offset = offset;
            if (step.Duration() >= options.Value.ClockJumpThreshold)
            {
                jump = _last = new ClockJump(now, step);
                _count++;
            }
        }

        if (jump is not null)
        {
            RecordingMetrics.ClockJumps.WithLabels(jump.Direction).Inc();
            LogJump(jump.Direction, jump.Size.TotalSeconds, now);
            foreach (var status in statuses.All)
            {
                status.ClockJumped(jump);
            }
        }

        return jump;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(LookInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Look();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The wall clock jumped {Direction} by {Seconds:F1} s (now {Now:O}); recordings in progress keep the times they started with, new runs never overlap earlier footage")]
    private partial void LogJump(string direction, double seconds, DateTimeOffset now);
}

using Footage.Recording.Processes;
using Footage.Recording.Sources;

namespace Footage.Recording.Cameras;

/// <summary>The live status of one camera's recorder; written by its supervisor and the uploader, read by the API.</summary>
public sealed class CameraStatus(Guid cameraId)
{
    private readonly Lock _gate = new();

    public Guid CameraId { get; } = cameraId;

    public RecordingState State { get; private set; } = RecordingState.Stopped;

    public DateTimeOffset? Since { get; private set; }

    public DateTimeOffset? LastSegmentEnd { get; private set; }

    public long BitrateBps { get; private set; }

    public int Restarts { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The last step of the wall clock seen while this camera was on the board.</summary>
    public ClockJump? LastClockJump { get; private set; }

    /// <summary>What the camera sent at the start of the last run, and how it is recorded; null before the first.</summary>
    public (CameraStreams Streams, RecordingPlan Plan)? Recorded { get; private set; }

    /// <summary>The time of the run in progress, null between runs.</summary>
    public RunTimeline? Timeline { get; private set; }

    public void Set(RecordingState state, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (State != state)
            {
                State = state;
                Since = now;
            }
        }

        RecordingMetrics.CameraState.WithLabels(CameraId.ToString("D")).Set(state == RecordingState.Recording ? 1 : 0);
    }

    public void Error(string? error)
    {
        lock (_gate)
        {
            LastError = error;
        }
    }

    public void Restarted()
    {
        lock (_gate)
        {
            Restarts++;
        }

        RecordingMetrics.Restarts.WithLabels(CameraId.ToString("D")).Inc();
    }

    public void Bitrate(long bps)
    {
        lock (_gate)
        {
            BitrateBps = bps;
        }
    }

    public void ClockJumped(ClockJump jump)
    {
        lock (_gate)
        {
            LastClockJump = jump;
        }
    }

    public void Streams(CameraStreams streams, RecordingPlan plan)
    {
        lock (_gate)
        {
            Recorded = (streams, plan);
        }
    }

    public void Run(RunTimeline? timeline)
    {
        lock (_gate)
        {
            Timeline = timeline;
        }
    }

    public void SegmentStored(DateTimeOffset end)
    {
        lock (_gate)
        {
            if (LastSegmentEnd is null || end > LastSegmentEnd)
            {
                LastSegmentEnd = end;
            }
        }
    }
}

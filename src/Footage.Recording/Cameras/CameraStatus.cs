using Footage.Recording.Processes;
using Footage.Recording.Sources;

namespace Footage.Recording.Cameras;

/// <summary>
/// The live status of one camera's recorder; written by its supervisor and the uploader, read by the API and published to
/// <c>camera_health</c> for the other processes. <see cref="Version"/> grows with every change but the bitrate's, and
/// <paramref name="changed"/> is called after it, so that a change is published at once.
/// </summary>
public sealed class CameraStatus(Guid cameraId, Action? changed = null)
{
    private readonly Lock _gate = new();
    private long _version;

    public Guid CameraId { get; } = cameraId;

    public RecordingState State { get; private set; } = RecordingState.Stopped;

    public long Version => Interlocked.Read(ref _version);

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
        var changed = false;
        lock (_gate)
        {
            if (State != state)
            {
                State = state;
                Since = now;
                changed = true;
            }
        }

        if (changed)
        {
            Changed();
        }

        RecordingMetrics.CameraState.WithLabels(CameraId.ToString("D")).Set(state == RecordingState.Recording ? 1 : 0);
    }

    public void Error(string? error)
    {
        lock (_gate)
        {
            if (LastError == error)
            {
                return;
            }

            LastError = error;
        }

        Changed();
    }

    public void Restarted()
    {
        lock (_gate)
        {
            Restarts++;
        }

        Changed();
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

        Changed();
    }

    public void Streams(CameraStreams streams, RecordingPlan plan)
    {
        lock (_gate)
        {
            Recorded = (streams, plan);
        }

        Changed();
    }

    public void Run(RunTimeline? timeline)
    {
        lock (_gate)
        {
            Timeline = timeline;
        }

        Changed();
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

        Changed();
    }

    private void Changed()
    {
        Interlocked.Increment(ref _version);
        changed?.Invoke();
    }
}

using Footage.Recording.Cameras;

namespace Footage.Recording.Fleet;

/// <summary>
/// A camera's state summed up for a control room (wire <c>health</c>): <c>recording</c> (or starting to), <c>failing</c> (it should
/// record and does not: reconnecting, failed, over quota, no recorder; <c>last_error</c> says why), <c>stopped</c>, <c>milestone</c>.
/// </summary>
public static class CameraHealth
{
    public const string Recording = "recording";
    public const string Failing = "failing";
    public const string Stopped = "stopped";
    public const string Milestone = "milestone";

    public static string Of(RecordingState state) => state switch
    {
        RecordingState.Recording or RecordingState.Starting => Recording,
        RecordingState.Stopped => Stopped,
        RecordingState.Milestone => Milestone,
        _ => Failing,
    };
}

namespace Footage.Recording.Cameras;

/// <summary>What a camera's recorder is doing (wire names are UPPER_CASE).</summary>
public enum RecordingState
{
    Stopped,
    Starting,
    Recording,
    Reconnecting,
    WaitingForQuota,
    Failed,

    /// <summary>A MILESTONE camera: Milestone XProtect records it, we do not.</summary>
    Milestone,

    /// <summary>The camera should record but no live recorder holds its lease (its holder died or every recorder is drained or full).</summary>
    WaitingForRecorder,
}

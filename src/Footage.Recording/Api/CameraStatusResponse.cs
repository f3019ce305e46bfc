using Footage.Core;
using Footage.Core.Cameras;
using Footage.Recording.Cameras;
using Footage.Recording.Fleet;

namespace Footage.Recording.Api;

/// <summary>
/// One camera in <c>GET /api/v1/recording/status</c>, the same from every recorder: <c>recorder_id</c> holds its lease and
/// reported the rest at <c>reported_at</c>; <c>health</c> sums the state up (<see cref="CameraHealth"/>); <c>should_record</c> is what
/// was asked (the catalog's <c>recording_state</c>). The last error never carries credentials. A MILESTONE camera is in state
/// MILESTONE (Milestone records it, we do not); <c>recorded_by</c> names who records each camera.
/// <c>timeline_offset_seconds</c>: how far the times given to the run in progress are ahead of the wall clock (negative:
/// behind), zero unless the clock was stepped; <c>last_clock_jump_*</c>: the last step of the clock seen; <c>streams</c>: what the
/// camera sent at the start of its last run and what its sound became (null before the first run). <c>spool_bytes</c> is what
/// the spool of the recorder that answers holds for the camera (footage not stored yet).
/// </summary>
public sealed record CameraStatusResponse(
    Guid CameraId,
    string Name,
    string StorageMode,
    IReadOnlyList<string> RecordedBy,
    RecordingState State,
    string Health,
    bool ShouldRecord,
    string? RecorderId,
    DateTimeOffset? ReportedAt,
    DateTimeOffset? Since,
    DateTimeOffset? LastSegmentEnd,
    long BitrateBps,
    int Restarts,
    string? LastError,
    long SpoolBytes,
    double? TimelineOffsetSeconds,
    DateTimeOffset? LastClockJumpAt,
    double? LastClockJumpSeconds,
    RecordedStreamsResponse? Streams)
{
    public static CameraStatusResponse From(Camera camera, CameraHealthReport report, bool shouldRecord, long spoolBytes)
    {
        var state = camera.StorageMode == Core.StorageMode.Milestone ? RecordingState.Milestone : report.State;
        return new(camera.Id, camera.Name, StorageModes.ToWire(camera.StorageMode), RecordersOf(camera.StorageMode), state, CameraHealth.Of(state),
            shouldRecord, report.RecorderId, report.ReportedAt, report.Since, report.LastSegmentEnd, report.BitrateBps, report.Restarts, report.LastError,
            spoolBytes, report.TimelineOffsetSeconds, report.LastClockJumpAt, report.LastClockJumpSeconds, report.Streams);
    }

    private static IReadOnlyList<string> RecordersOf(Core.StorageMode mode) => mode switch
    {
        Core.StorageMode.Milestone => ["milestone"],
        Core.StorageMode.Both => ["footage", "milestone"],
        _ => ["footage"],
    };
}

/// <summary>
/// Every camera of the fleet, and the spool disk of the recorder that answers (<c>recorder_id</c>): the cameras' part is the
/// same whichever recorder answers.
/// </summary>
public sealed record RecordingStatusResponse(IReadOnlyList<CameraStatusResponse> Cameras, string RecorderId, long SpoolFreeBytes, bool SpoolDiskLow);

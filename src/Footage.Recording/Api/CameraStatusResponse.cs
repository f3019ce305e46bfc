using Footage.Core;
using Footage.Core.Cameras;
using Footage.Recording.Cameras;

namespace Footage.Recording.Api;

/// <summary>
/// One camera in <c>GET /api/v1/recording/status</c>; the last error never carries credentials. A MILESTONE
/// camera is in state MILESTONE (Milestone records it, we do not); <c>recorded_by</c> names who records each camera.
/// <c>timeline_offset_seconds</c>: how far the times given to the run in progress are ahead of the wall clock (negative:
/// behind), zero unless the clock was stepped; <c>last_clock_jump_*</c>: the last step of the clock seen; <c>streams</c>: what the
/// camera sent at the start of its last run and what its sound became (null before the first run).
/// </summary>
public sealed record CameraStatusResponse(
    Guid CameraId,
    string Name,
    string StorageMode,
    IReadOnlyList<string> RecordedBy,
    RecordingState State,
    bool ShouldRecord,
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
    public static CameraStatusResponse From(Camera camera, CameraStatus? status, bool shouldRecord, long spoolBytes) =>
        new(camera.Id, camera.Name, StorageModes.ToWire(camera.StorageMode), RecordersOf(camera.StorageMode),
            camera.StorageMode == Core.StorageMode.Milestone ? RecordingState.Milestone : status?.State ?? RecordingState.Stopped, shouldRecord, status?.Since, status?.LastSegmentEnd,
            status?.BitrateBps ?? 0, status?.Restarts ?? 0, status?.LastError is { } error ? CameraRecorder.Redact(error) : null, spoolBytes,
            status?.Timeline is { Anchor: not null } run ? Seconds(run.OffsetFromWallClock()) : null,
            status?.LastClockJump?.At, status?.LastClockJump is { } jump ? Seconds(jump.Size) : null,
            status?.Recorded is { } recorded ? RecordedStreamsResponse.From(recorded.Streams, recorded.Plan) : null);

    // Rounding a tiny negative offset gives -0, which JSON would print as "-0".
    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3) + 0.0;

    private static IReadOnlyList<string> RecordersOf(Core.StorageMode mode) => mode switch
    {
        Core.StorageMode.Milestone => ["milestone"],
        Core.StorageMode.Both => ["footage", "milestone"],
        _ => ["footage"],
    };
}

/// <summary>The whole recorder: every camera, and the spool disk.</summary>
public sealed record RecordingStatusResponse(IReadOnlyList<CameraStatusResponse> Cameras, long SpoolFreeBytes, bool SpoolDiskLow);

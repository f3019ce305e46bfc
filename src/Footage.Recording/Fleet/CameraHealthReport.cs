using Footage.Core.Cameras;
using Footage.Recording.Api;
using Footage.Recording.Cameras;

namespace Footage.Recording.Fleet;

/// <summary>
/// A camera's health as its holder reports it, the same whether read from the holder's memory or from <c>camera_health</c>
/// by another process. <see cref="RecorderId"/> is the recorder that reported; <see cref="ReportedAt"/> when.
/// </summary>
public sealed record CameraHealthReport(
    Guid CameraId,
    string? RecorderId,
    RecordingState State,
    DateTimeOffset? Since,
    DateTimeOffset? LastSegmentEnd,
    long BitrateBps,
    int Restarts,
    string? LastError,
    double? TimelineOffsetSeconds,
    DateTimeOffset? LastClockJumpAt,
    double? LastClockJumpSeconds,
    RecordedStreamsResponse? Streams,
    DateTimeOffset? ReportedAt)
{
    public static CameraHealthReport Of(CameraStatus status, string recorderId, DateTimeOffset now) =>
        new(status.CameraId, recorderId, status.State, status.Since, status.LastSegmentEnd, status.BitrateBps, status.Restarts,
            status.LastError is { } error ? RtspUrls.Redact(error) : null,
            status.Timeline is { Anchor: not null } run ? Seconds(run.OffsetFromWallClock()) : null,
            status.LastClockJump?.At, status.LastClockJump is { } jump ? Seconds(jump.Size) : null,
            status.Recorded is { } recorded ? RecordedStreamsResponse.From(recorded.Streams, recorded.Plan) : null,
            now);

    /// <summary>No recorder reports on the camera: it is stopped, or waits for a recorder; only its last stored segment is known.</summary>
    public static CameraHealthReport Unheld(Guid cameraId, RecordingState state, DateTimeOffset? since, DateTimeOffset? lastSegmentEnd) =>
        new(cameraId, null, state, since, lastSegmentEnd, 0, 0, null, null, null, null, null, null);

    // Rounding a tiny negative offset gives -0, which JSON would print as "-0".
    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3) + 0.0;
}

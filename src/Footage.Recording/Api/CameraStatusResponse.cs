using Footage.Core.Cameras;
using Footage.Recording.Cameras;

namespace Footage.Recording.Api;

/// <summary>One camera in <c>GET /api/v1/recording/status</c>; the last error never carries credentials.</summary>
public sealed record CameraStatusResponse(
    Guid CameraId,
    string Name,
    RecordingState State,
    bool ShouldRecord,
    DateTimeOffset? Since,
    DateTimeOffset? LastSegmentEnd,
    long BitrateBps,
    int Restarts,
    string? LastError,
    long SpoolBytes)
{
    public static CameraStatusResponse From(Camera camera, CameraStatus? status, bool shouldRecord, long spoolBytes) =>
        new(camera.Id, camera.Name, status?.State ?? RecordingState.Stopped, shouldRecord, status?.Since, status?.LastSegmentEnd,
            status?.BitrateBps ?? 0, status?.Restarts ?? 0, status?.LastError is { } error ? CameraRecorder.Redact(error) : null, spoolBytes);
}

/// <summary>The whole recorder: every camera, and the spool disk.</summary>
public sealed record RecordingStatusResponse(IReadOnlyList<CameraStatusResponse> Cameras, long SpoolFreeBytes, bool SpoolDiskLow);

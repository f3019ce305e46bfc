namespace Footage.Recording.Leases;

/// <summary>One row of <c>camera_leases</c>: the recorder that records the camera until <see cref="ExpiresAt"/> unless it renews.</summary>
public sealed record CameraLease(Guid CameraId, string RecorderId, string? RecorderUrl, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt)
{
    public bool IsLive(DateTimeOffset now) => ExpiresAt >= now;
}

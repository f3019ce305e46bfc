namespace Footage.Recording.Leases;

/// <summary><c>GET /api/v1/recording/{camera_id}/recorder</c>: the lease holder; <see cref="RecorderUrl"/> is null when it has none yet.</summary>
public sealed record CameraHolderResponse(Guid CameraId, string RecorderId, string? RecorderUrl, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

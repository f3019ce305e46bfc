namespace Footage.Recording.Leases;

/// <summary>
/// <c>GET /api/v1/recording/recorders</c>: this recorder (its id, whether it is drained, its fair share) and every
/// live recorder with the cameras it records.
/// </summary>
public sealed record RecorderStatus(string RecorderId, bool Draining, int FairShare, double LeaseSeconds, IReadOnlyList<RecorderStatusItem> Recorders);

public sealed record RecorderStatusItem(string RecorderId, string? RecorderUrl, bool Draining, bool Live, DateTimeOffset ExpiresAt, IReadOnlyList<Guid> Cameras);

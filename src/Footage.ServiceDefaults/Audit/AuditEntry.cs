namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// One change someone made through the API, one refused attempt, or one access to footage: who (from the authenticated caller,
/// never the body; <c>anonymous</c> when a refused caller could not be identified), when, and what (method, route pattern, the
/// exact path with its ids, the status, the client's address). Bodies, queries and presented credentials are not kept: a camera
/// body carries RTSP credentials, a query a link's signature. A refusal says why in <see cref="Reason"/>; one entry may stand
/// for several refusals of one address (<see cref="Attempts"/>, the first at <see cref="OccurredAt"/>, the last at
/// <see cref="LastAt"/>). An access names the footage: <see cref="Access"/> (playback, download, export, clip, ...), the
/// camera and the range [<see cref="RangeStart"/>, <see cref="RangeEnd"/>); a playback entry may stand for several playlist
/// requests of one viewing (<see cref="Attempts"/>, <see cref="LastAt"/>).
/// </summary>
public sealed record AuditEntry(
    Guid Id,
    DateTimeOffset OccurredAt,
    string Actor,
    string? Role,
    string? KeyId,
    string Method,
    string Route,
    string Path,
    int Status,
    string? RemoteIp,
    string Outcome = AuditOutcome.Changed,
    string? Reason = null,
    int Attempts = 1,
    DateTimeOffset? LastAt = null,
    string? Access = null,
    Guid? CameraId = null,
    DateTimeOffset? RangeStart = null,
    DateTimeOffset? RangeEnd = null);

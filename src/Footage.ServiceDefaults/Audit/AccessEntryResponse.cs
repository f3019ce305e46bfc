namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// One access to footage as admins read it: who (with role and key), what (<see cref="Access"/>), which camera and range,
/// when (first and last request: a viewing spans its playlist requests), how many requests, the path and the address.
/// </summary>
public sealed record AccessEntryResponse(
    Guid Id,
    string Actor,
    string? Role,
    string? KeyId,
    string Access,
    Guid CameraId,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset OccurredAt,
    DateTimeOffset LastAt,
    int Requests,
    string Path,
    string? RemoteIp)
{
    public static AccessEntryResponse Of(AuditEntry e) => new(
        e.Id, e.Actor, e.Role, e.KeyId, e.Access ?? "", e.CameraId ?? Guid.Empty, e.RangeStart ?? e.OccurredAt, e.RangeEnd ?? e.OccurredAt, e.OccurredAt,
        e.LastAt ?? e.OccurredAt, e.Attempts, e.Path, e.RemoteIp);
}

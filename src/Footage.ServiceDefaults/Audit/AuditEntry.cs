namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// One change someone made through the API: who (from the authenticated caller, never the body), when, and
/// what (method, route pattern, the exact path with its ids, the status). Bodies are not kept: they may carry
/// camera credentials.
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
    string? RemoteIp);

using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// <c>GET /api/v1/audit</c>: admins read who changed what, which attempts were refused and who accessed footage, newest first;
/// <c>GET /api/v1/audit/access</c>: who played, downloaded, exported or saved which camera's footage of which range.
/// </summary>
public static class AuditApi
{
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/audit", List).RequireAuthorization(Roles.Admin).WithTags("Audit");
        endpoints.MapGet("/api/v1/audit/access", ListAccess).RequireAuthorization(Roles.Admin).WithTags("Audit");
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ValidationProblem>> List(
        string? from, string? to, string? actor, string? outcome, string? limit, AuditLog log, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var start = QueryValues.Instant(from, "from", errors);
        var end = QueryValues.Instant(to, "to", errors);
        var max = QueryValues.Int(limit, "limit", 100, 1, MaxLimit, errors);
        if (start is not null && end is not null && end < start)
        {
            errors.Add("to", "must not be before from");
        }

        if (actor is { Length: > 255 })
        {
            errors.Add("actor", "must be at most 255 characters");
        }

        if (!string.IsNullOrEmpty(outcome) && !AuditOutcome.IsKnown(outcome))
        {
            errors.Add("outcome", $"must be {AuditOutcome.Changed}, {AuditOutcome.Refused} or {AuditOutcome.Accessed}");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return TypedResults.Ok(await log.ListAsync(start, end, actor, max, ct, string.IsNullOrEmpty(outcome) ? null : outcome));
    }

    /// <summary>
    /// Accesses of one camera (or all) whose footage range overlaps [from, to) (or any), newest first. Viewings still being
    /// widened in this process are written first, so the answer is up to date for the footage this process served.
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<AccessEntryResponse>>, ValidationProblem>> ListAccess(
        string? camera_id, string? from, string? to, string? actor, string? access, string? limit, AuditLog log, AccessLog viewings, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var camera = string.IsNullOrEmpty(camera_id) ? null : RouteValues.Id(camera_id, "camera_id", errors);
        var start = QueryValues.Instant(from, "from", errors);
        var end = QueryValues.Instant(to, "to", errors);
        var max = QueryValues.Int(limit, "limit", 100, 1, MaxLimit, errors);
        if (start is not null && end is not null && end <= start)
        {
            errors.Add("to", "must be after from");
        }

        if (actor is { Length: > 255 })
        {
            errors.Add("actor", "must be at most 255 characters");
        }

        if (!string.IsNullOrEmpty(access) && !FootageAccess.All.Contains(access))
        {
            errors.Add("access", $"must be one of {string.Join(", ", FootageAccess.All)}");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await viewings.FlushAsync(ct);
        var entries = await log.ListAccessAsync(camera, start, end, actor, string.IsNullOrEmpty(access) ? null : access, max, ct);
        return TypedResults.Ok<IReadOnlyList<AccessEntryResponse>>(entries.Select(AccessEntryResponse.Of).ToArray());
    }
}

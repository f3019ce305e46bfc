using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Footage.ServiceDefaults.Audit;

/// <summary><c>GET /api/v1/audit</c>: admins read who changed what and which attempts were refused, newest first.</summary>
public static class AuditApi
{
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/audit", List).RequireAuthorization(Roles.Admin).WithTags("Audit");
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
            errors.Add("outcome", $"must be {AuditOutcome.Changed} or {AuditOutcome.Refused}");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return TypedResults.Ok(await log.ListAsync(start, end, actor, max, ct, string.IsNullOrEmpty(outcome) ? null : outcome));
    }
}

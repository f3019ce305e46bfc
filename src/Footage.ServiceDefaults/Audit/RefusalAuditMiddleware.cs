using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// Outside the limits, authentication and authorisation: every request answered 401 (no or invalid credentials), 403 (a
/// role too low) or 429 (a limit) is a refused attempt in the audit log, with who when known, method, path, status, client
/// address and why. The why is from a fixed vocabulary; a presented key, token or signature is never written.
/// </summary>
public sealed class RefusalAuditMiddleware(RequestDelegate next, RefusalAuditor auditor, TimeProvider clock, ILogger<RefusalAuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var refusal = new RefusalFeature();
        context.Features.Set(refusal);
        await next(context);

        var status = context.Response.StatusCode;
        var reason = status switch
        {
            StatusCodes.Status401Unauthorized => refusal.SignInFailure?.Reason ?? "no credentials",
            StatusCodes.Status403Forbidden => RoleReason(context),
            StatusCodes.Status429TooManyRequests => refusal.LimitReason,
            _ => null,
        };
        if (reason is null)
        {
            return;
        }

        var user = context.User;
        var known = user.Identity?.IsAuthenticated == true;
        var entry = new AuditEntry(
            Guid.NewGuid(),
            clock.GetUtcNow(),
            known ? user.ActorName() : "anonymous",
            known ? Roles.All.LastOrDefault(user.IsInRole) : null,
            known ? user.FindFirst("key_id")?.Value : null,
            context.Request.Method,
            (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "",
            (context.Request.PathBase + context.Request.Path).Value ?? "",
            status,
            context.Connection.RemoteIpAddress?.ToString(),
            AuditOutcome.Refused,
            reason);
        try
        {
            await auditor.RecordAsync(entry, ClientAddress.Of(context), CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            logger.LogError(e, "Could not write the refused attempt {Method} {Path} ({Status}) to the audit log", entry.Method, entry.Path, status);
        }
    }

    /// <summary>The least role the endpoint asks for (the policies are named after roles; without one, the fallback asks for viewer).</summary>
    private static string RoleReason(HttpContext context)
    {
        if (context.User.HasClaim("signed_link", "true"))
        {
            return "a signed link does not open this endpoint";
        }

        var policies = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToArray() ?? [];
        var required = policies.Contains(Roles.Admin) ? Roles.Admin : policies.Contains(Roles.Operator) ? Roles.Operator : Roles.Viewer;
        var role = Roles.All.LastOrDefault(context.User.IsInRole);
        return role is null ? $"no role; {required} needed" : $"role {role} below {required}";
    }
}

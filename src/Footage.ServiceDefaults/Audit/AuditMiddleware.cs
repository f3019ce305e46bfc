using Footage.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Footage.ServiceDefaults.Audit;

/// <summary>
/// The one place every change is written to the audit log: each request other than GET, HEAD and OPTIONS that
/// reached an endpoint and succeeded (status below 400), whichever module served it. A refused request changed
/// nothing and is not a change; it is in the access log.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditLog log, TimeProvider clock, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }

        await next(context);
        var status = context.Response.StatusCode;
        if (status >= 400 || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return;
        }

        var user = context.User;
        var entry = new AuditEntry(
            Guid.NewGuid(),
            clock.GetUtcNow(),
            user.ActorName(),
            Roles.All.LastOrDefault(user.IsInRole),
            user.FindFirst("key_id")?.Value,
            context.Request.Method,
            endpoint.RoutePattern.RawText ?? context.Request.Path.Value ?? "",
            (context.Request.PathBase + context.Request.Path).Value ?? "",
            status,
            context.Connection.RemoteIpAddress?.ToString());
        try
        {
            // the change is made: record it even if the client has gone
            await log.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            logger.LogError(e, "Could not write the audit entry for {Method} {Path} by {Actor}", entry.Method, entry.Path, entry.Actor);
        }
    }
}

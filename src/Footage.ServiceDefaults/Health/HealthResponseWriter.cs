using System.Text.Json;
using Footage.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Footage.ServiceDefaults.Health;

/// <summary>
/// For the inside and admins (<see cref="InternalCallers"/>):
/// <c>{"status": "Healthy", "checks": {"database": {"status": ..., "description": ..., "duration_ms": ...}}}</c>.
/// For anyone else the status alone, <c>{"status": "Healthy"}</c>: the checks' descriptions name backends, buckets,
/// services and their errors, which are of no use to a public probe and of use to an attacker.
/// </summary>
public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        if (!context.RequestServices.GetRequiredService<InternalCallers>().Allows(context))
        {
            return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString() }), context.RequestAborted);
        }

        var body = new
        {
            status = report.Status.ToString(),
            duration_ms = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                duration_ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}

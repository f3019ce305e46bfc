using System.Globalization;
using System.Threading.RateLimiting;
using Footage.ServiceDefaults.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Security;

/// <summary>
/// The two limits: failed sign-ins per client address (before authentication, on by default; <see cref="FailedSignInLimiter"/>)
/// and requests per caller (after it, off by default; the framework's rate limiting middleware). Both answer 429
/// problem details with <c>Retry-After</c>; <c>/health</c> and <c>/metrics</c> are never limited.
/// </summary>
public static class RateLimits
{
    public const string FailedSignInsReason = "too many failed sign-ins from this address";
    public const string CallerRequestsReason = "request limit of this caller";

    public static IServiceCollection AddFootageRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddSingleton<FailedSignInLimiter>();
        return services;
    }

    /// <summary>Before authentication: an address that spent its failed sign-ins gets 429 without its credentials being looked at.</summary>
    public static IApplicationBuilder UseFailedSignInLimit(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<FailedSignInLimiter>();
        if (!limiter.Enabled)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            if (limiter.RefusedFor(context) is not { } left || context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null)
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await WriteRefusalAsync(context, left, FailedSignInsReason,
                "Too many credentials from this address did not verify; no request from it is served until the time in Retry-After has passed.");
        });
    }

    /// <summary>After authentication: requests per API key or token subject, when <c>Footage:Security:CallerRequests:Limit</c> is set.</summary>
    public static IApplicationBuilder UseCallerRequestLimit(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value.CallerRequests;
        if (options.Limit <= 0)
        {
            return app;
        }

        var window = new FixedWindowRateLimiterOptions { PermitLimit = options.Limit, Window = options.Window, QueueLimit = 0, AutoReplenishment = true };
        return app.UseRateLimiter(new RateLimiterOptions
        {
            GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => CallerOf(context) is { } caller
                ? RateLimitPartition.GetFixedWindowLimiter(caller, _ => window)
                : RateLimitPartition.GetNoLimiter("")),
            RejectionStatusCode = StatusCodes.Status429TooManyRequests,
            OnRejected = Rejected(CallerRequestsReason, options.Window,
                $"This caller made more than {options.Limit} requests within {options.Window}; try again after the time in Retry-After."),
        });
    }

    /// <summary>An API key, or a bearer token's subject; signed links and anonymous requests are nobody's.</summary>
    private static string? CallerOf(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || user.HasClaim("signed_link", "true"))
        {
            return null;
        }

        if (user.FindFirst("key_id")?.Value is { } key)
        {
            return "key:" + key;
        }

        return "user:" + (user.FindFirst("sub")?.Value ?? user.Identity.Name ?? "");
    }

    private static Func<OnRejectedContext, CancellationToken, ValueTask> Rejected(string reason, TimeSpan window, string detail) => async (rejected, _) =>
        await WriteRefusalAsync(rejected.HttpContext, rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : window, reason, detail);

    private static async Task WriteRefusalAsync(HttpContext http, TimeSpan retryAfter, string reason, string detail)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (http.Features.Get<RefusalFeature>() is { } refusal)
        {
            refusal.LimitReason = reason;
        }

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail },
        });
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Footage.ServiceDefaults.Access;

/// <summary>
/// Every request that names a camera, in its route (<c>{camera_id}</c>) or in its query (<c>camera_id=</c>), is answered 404,
/// as for a camera that does not exist, when the caller may not see that camera, before its handler runs: one rule for all
/// of them, so an endpoint added later with a camera in its route or query is covered without a line of its own. Endpoints that reach a camera through another id (a
/// segment, an export, an incident) check it in their handler.
/// </summary>
public sealed class CameraRouteGuard(RequestDelegate next, CameraAccess access)
{
    public const string CameraParameter = "camera_id";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is RouteEndpoint endpoint && NamedCameras(context, endpoint).ToList() is { Count: > 0 } named)
        {
            var scope = await access.ScopeAsync(context);
            if (named.FirstOrDefault(c => !scope.Allows(c)) is var hidden && hidden != Guid.Empty)
            {
                await NotFound(context, hidden);
                return;
            }
        }

        await next(context);
    }

    private static IEnumerable<Guid> NamedCameras(HttpContext context, RouteEndpoint endpoint)
    {
        if (endpoint.RoutePattern.GetParameter(CameraParameter) is not null && Guid.TryParse(context.GetRouteValue(CameraParameter) as string, out var inRoute))
        {
            yield return inRoute;
        }

        foreach (var value in context.Request.Query[CameraParameter])
        {
            foreach (var part in (value ?? "").Split(','))
            {
                if (Guid.TryParse(part, out var inQuery))
                {
                    yield return inQuery;
                }
            }
        }
    }

    public static Task NotFound(HttpContext context, Guid cameraId)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = 404, Title = "Not Found", Detail = $"Camera {cameraId} was not found." },
        }).AsTask();
    }
}

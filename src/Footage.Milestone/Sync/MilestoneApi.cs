using Footage.Milestone.Identity;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Footage.Milestone.Sync;

/// <summary>
/// <c>GET /api/v1/milestone/cameras</c>: Milestone's cameras (to map a BOTH camera with <c>source = milestone:{device_id}</c>);
/// <c>POST /api/v1/milestone/sync</c>: synchronise the catalog now (all cameras, or <c>camera_id</c>).
/// </summary>
public static class MilestoneApi
{
    public sealed record MilestoneCameraResponse(Guid DeviceId, string Name, string Recorder);

    public static IEndpointRouteBuilder MapMilestoneApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/milestone/cameras", Cameras).RequireAuthorization(Roles.Viewer).WithTags("Milestone");
        endpoints.MapPost("/api/v1/milestone/sync", Sync).RequireAuthorization(Roles.Operator).WithTags("Milestone");
        return endpoints;
    }

    /// <summary>A caller limited to camera groups sees the Milestone cameras imported as cameras of their groups (an imported camera keeps its device id).</summary>
    private static async Task<IResult> Cameras(HttpContext http, CameraAccess access, MilestoneSession session, CancellationToken ct)
    {
        // a MilestoneException becomes its problem (MilestoneProblems) in the one exception handler
        var scope = await access.ScopeAsync(http);
        var cameras = await session.CamerasAsync(refresh: true, ct);
        return TypedResults.Ok(cameras.Where(c => scope.Allows(c.DeviceId)).Select(c => new MilestoneCameraResponse(c.DeviceId, c.Name, c.RecorderUri.GetLeftPart(UriPartial.Authority))).ToArray());
    }

    /// <summary>A caller limited to camera groups synchronises one camera of theirs (<c>camera_id</c>, checked at the door), never the whole catalog.</summary>
    private static async Task<IResult> Sync(string? camera_id, HttpContext http, CameraAccess access, MilestoneSync sync, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var camera = string.IsNullOrEmpty(camera_id) ? null : RouteValues.Id(camera_id, "camera_id", errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (camera is null && !(await access.ScopeAsync(http)).IsEverything)
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden",
                detail: "Synchronising every camera needs a caller who sees every camera; name a camera of yours with camera_id.");
        }

        return TypedResults.Ok(await sync.RunAsync(camera, ct));
    }
}

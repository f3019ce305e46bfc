using Footage.Recording.Cameras;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Footage.Recording.Leases;

/// <summary>
/// <c>/api/v1/recording/recorders</c> (viewers): the recorders sharing the cameras; <c>/api/v1/recording/drain</c>
/// (admins): <c>POST</c> drains the recorder that answers for maintenance, <c>DELETE</c> puts it back to work.
/// </summary>
public static class LeaseApi
{
    public static IEndpointRouteBuilder MapLeaseEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/recording").WithTags("Recording");
        group.MapGet("/recorders", Recorders).RequireAuthorization(Roles.Viewer);
        group.MapPost("/drain", (CameraLeaseCoordinator leases, RecordingManager manager, CancellationToken ct) => Drain(leases, manager, true, ct))
            .RequireAuthorization(Roles.Admin);
        group.MapDelete("/drain", (CameraLeaseCoordinator leases, RecordingManager manager, CancellationToken ct) => Drain(leases, manager, false, ct))
            .RequireAuthorization(Roles.Admin);
        return endpoints;
    }

    /// <summary>A caller limited to camera groups sees every recorder with only the cameras they may see.</summary>
    private static async Task<Ok<RecorderStatus>> Recorders(HttpContext http, CameraAccess access, CameraLeaseCoordinator leases, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(http);
        var status = await leases.StatusAsync(ct);
        return TypedResults.Ok(scope.IsEverything
            ? status
            : status with { Recorders = status.Recorders.Select(r => r with { Cameras = r.Cameras.Where(scope.Allows).ToArray() }).ToArray() });
    }

    /// <summary>Answers once the cameras are stopped and their leases given back (draining) or the recorder took its share again.</summary>
    private static async Task<Ok<RecorderStatus>> Drain(CameraLeaseCoordinator leases, RecordingManager manager, bool draining, CancellationToken ct)
    {
        await leases.DrainAsync(manager, draining, ct);
        return TypedResults.Ok(await leases.StatusAsync(ct));
    }
}

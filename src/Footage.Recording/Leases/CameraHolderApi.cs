using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Footage.Recording.Leases;

/// <summary>
/// <c>GET /api/v1/recording/{camera_id}/recorder</c> (viewers): the recorder that holds the camera's lease and where it is
/// reached, so that a Playback service in split mode reads the live edge from that recorder; 404 when no recorder holds it.
/// Any recorder answers for every camera: the leases are in the shared database.
/// </summary>
public static class CameraHolderApi
{
    public static IEndpointRouteBuilder MapCameraHolderApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/recording/{camera_id}/recorder", Holder).RequireAuthorization(Roles.Viewer).WithTags("Recording");
        return endpoints;
    }

    private static async Task<IResult> Holder(string camera_id, CameraLeaseStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(camera_id, "camera_id", errors) is not { } id)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var lease = await store.LeaseAsync(id, ct);
        if (lease is null || !lease.IsLive(clock.GetUtcNow()))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No recorder holds camera {id}.");
        }

        return TypedResults.Ok(new CameraHolderResponse(id, lease.RecorderId, lease.RecorderUrl, lease.AcquiredAt, lease.ExpiresAt));
    }
}

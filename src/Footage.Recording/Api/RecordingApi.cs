using System.Security.Claims;
using Footage.Core;
using Footage.Core.Cameras;
using Footage.Recording.Cameras;
using Footage.Recording.Fleet;
using Footage.Recording.Leases;
using Footage.Recording.Spool;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Recording.Api;

/// <summary>
/// <c>/api/v1/recording</c>: start and stop a camera's recording (operators), see every camera's status (viewers), the same from
/// every recorder process. Start and stop set what the camera should do in the shared <c>recording_state</c>: the recorder that
/// answers applies it at once to what it holds, the camera's holder (or, for a start, whichever recorder has room) in its next
/// planning round, which the change wakes on PostgreSQL.
/// </summary>
public static class RecordingApi
{
    public static IEndpointRouteBuilder MapRecordingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/recording").WithTags("Recording");
        group.MapPost("/start/{camera_id}", Start).RequireAuthorization(Roles.Operator);
        group.MapPost("/stop/{camera_id}", Stop).RequireAuthorization(Roles.Operator);
        group.MapGet("/status", Status).RequireAuthorization(Roles.Viewer);
        group.MapGet("/status/{camera_id}", CameraStatus).RequireAuthorization(Roles.Viewer);
        return endpoints;
    }

    private static async Task<Results<Accepted<CameraStatusResponse>, ProblemHttpResult, ValidationProblem>> Start(
        string camera_id, ClaimsPrincipal user, ICameraDirectory directory, RecordingManager manager, FleetStatus fleet,
        IOptions<RecordingOptions> options, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(camera_id, "camera_id", errors) is not { } id)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var camera = await directory.GetAsync(id, ct);
        if (camera is null)
        {
            return NotFound(id);
        }

        var isDemo = options.Value.DemoCamera.Enabled && camera.Id == options.Value.DemoCamera.Id;
        string? refusal = camera.StorageMode == StorageMode.Milestone ? "its storage mode is MILESTONE: Milestone records it"
            : !camera.Enabled ? "it is disabled"
            : !isDemo && string.IsNullOrWhiteSpace(camera.RtspUrl) ? "it has no RTSP URL"
            : !isDemo && !RtspUrls.IsValid(camera.RtspUrl, out var urlProblem) ? $"its URL in the camera directory {urlProblem}"
            : !options.Value.Enabled ? "recording is switched off on this host (Footage:Recording:Enabled)"
            : null;
        if (refusal is not null)
        {
            return TypedResults.Problem(new ProblemDetails { Status = 409, Title = "Camera cannot record", Detail = $"Camera {id} cannot record: {refusal}." });
        }

        await manager.StartCameraAsync(id, user.ActorName(), ct);
        return TypedResults.Accepted($"/api/v1/recording/status/{id}", await fleet.GetAsync(camera, ct));
    }

    private static async Task<Results<Ok<CameraStatusResponse>, ProblemHttpResult, ValidationProblem>> Stop(
        string camera_id, ClaimsPrincipal user, ICameraDirectory directory, RecordingManager manager, FleetStatus fleet, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(camera_id, "camera_id", errors) is not { } id)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var camera = await directory.GetAsync(id, ct);
        if (camera is null && !manager.IsRecording(id))
        {
            return NotFound(id);
        }

        await manager.StopCameraAsync(id, user.ActorName(), ct);
        var shown = camera ?? new Camera(id, string.Empty, null, null, StorageMode.Local, null, false, default, default);
        return TypedResults.Ok(await fleet.GetAsync(shown, ct));
    }

    private static async Task<Ok<RecordingStatusResponse>> Status(
        HttpContext http, CameraAccess access, ICameraDirectory directory, FleetStatus fleet, RecorderIdentity identity, SpoolFolder spool,
        IOptions<RecordingOptions> options, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(http);
        var cameras = (await directory.ListAsync(ct)).Where(c => scope.Allows(c.Id)).ToArray();
        var items = await fleet.ListAsync(cameras, ct);
        var free = spool.FreeBytes();
        return TypedResults.Ok(new RecordingStatusResponse(items, identity.Id, free, free < options.Value.MinFreeSpoolBytes));
    }

    private static async Task<Results<Ok<CameraStatusResponse>, ProblemHttpResult, ValidationProblem>> CameraStatus(
        string camera_id, ICameraDirectory directory, FleetStatus fleet, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(camera_id, "camera_id", errors) is not { } id)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var camera = await directory.GetAsync(id, ct);
        return camera is null
            ? NotFound(id)
            : TypedResults.Ok(await fleet.GetAsync(camera, ct));
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(new ProblemDetails { Status = 404, Title = "Camera not found", Detail = $"No camera {id} in the camera directory." });
}

using Footage.Core;
using Footage.Core.Cameras;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Footage.Storage.Buckets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Cameras;

/// <summary><c>/api/v1/cameras</c>: our own camera directory. Admins configure cameras; everybody signed in sees them, credentials never.</summary>
public static class CamerasApi
{
    public sealed record CameraRequest(
        Guid? Id, string? Name, string? Source, string? RtspUrl, string? StorageMode, int? RetentionDays, bool? Enabled, string? Audio = null, string? RtspTransport = null);

    /// <summary>A camera as the API shows it: <c>group_ids</c> are the groups it is in, <c>status</c> its state in the camera list's terms (<see cref="CameraStates"/>).</summary>
    public sealed record CameraResponse(
        Guid Id, string Name, string? Source, string? RtspUrl, StorageMode StorageMode, int? RetentionDays, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
        string Audio, string RtspTransport, IReadOnlyList<Guid> GroupIds, string? Status)
    {
        public static CameraResponse From(Camera c, IReadOnlyList<Guid>? groupIds = null, string? status = null) =>
            new(c.Id, c.Name, c.Source, RtspUrls.Redact(c.RtspUrl), c.StorageMode, c.RetentionDays, c.Enabled, c.CreatedAt, c.UpdatedAt,
                CameraStreamSettings.ToWire(c.Audio), CameraStreamSettings.ToWire(c.RtspTransport), groupIds ?? [], status);
    }

    /// <summary>A page of the camera list: <c>total</c> cameras match the filters.</summary>
    public sealed record CameraPage(IReadOnlyList<CameraResponse> Items, int Total, int Offset, int Limit);

    public static IEndpointRouteBuilder MapCamerasApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/cameras").WithTags("Cameras");
        group.MapGet("/", CameraListApi.List).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{id}", Get).RequireAuthorization(Roles.Viewer);
        group.MapPost("/", Create).RequireAuthorization(Roles.Admin);
        group.MapPut("/{id}", Update).RequireAuthorization(Roles.Admin);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Roles.Admin);
        return endpoints;
    }

    private static async Task<Results<Ok<CameraResponse>, NotFound, ValidationProblem>> Get(
        string id, HttpContext http, CameraRepository cameras, CameraAccess access, CameraGroupStore groups, CameraStates states, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } cameraId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // a camera the caller may not see is not found, as one that does not exist: its existence does not leak
        var scope = await access.ScopeAsync(http);
        if (!scope.Allows(cameraId) || await cameras.GetAsync(cameraId, ct) is not { } camera)
        {
            return TypedResults.NotFound();
        }

        var memberOf = await groups.GroupsByCameraAsync(ct);
        var state = await states.ReadAsync([camera], ct);
        return TypedResults.Ok(CameraResponse.From(camera, CameraListApi.Visible(memberOf.GetValueOrDefault(camera.Id), scope), state[camera.Id]));
    }

    private static async Task<Results<Created<CameraResponse>, ProblemHttpResult, ValidationProblem>> Create(
        CameraRequest? request, CameraRepository cameras, BucketProvisioner buckets, IOptions<StorageOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var camera = Validate(request, null, options.Value, clock.GetUtcNow(), errors);
        if (camera is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (camera.RetentionDays is { } days)
        {
            await buckets.CoverRetentionAsync(days, ct);
        }

        if (!await cameras.InsertAsync(camera, ct))
        {
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 409, Title = "Conflict", Detail = $"A camera with id '{camera.Id}' already exists.",
            });
        }

        return TypedResults.Created($"/api/v1/cameras/{camera.Id}", CameraResponse.From(camera));
    }

    private static async Task<Results<Ok<CameraResponse>, NotFound, ValidationProblem>> Update(
        string id, CameraRequest? request, CameraRepository cameras, BucketProvisioner buckets, IOptions<StorageOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } cameraId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var existing = await cameras.GetAsync(cameraId, ct);
        if (existing is null)
        {
            return TypedResults.NotFound();
        }

        if (request?.Id is { } bodyId && bodyId != cameraId)
        {
            errors.Add("id", "must match the id in the path");
        }

        var camera = Validate(request, existing, options.Value, clock.GetUtcNow(), errors);
        if (camera is null || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // a longer retention first makes sure the object store's lifecycle rule will not remove the footage sooner
        if (camera.RetentionDays is { } days && days > (existing.RetentionDays ?? 0))
        {
            await buckets.CoverRetentionAsync(days, ct);
        }

        return await cameras.UpdateAsync(camera, ct) ? TypedResults.Ok(CameraResponse.From(camera)) : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound, ValidationProblem>> Delete(string id, CameraRepository cameras, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } cameraId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return await cameras.DeleteAsync(cameraId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>A new camera, or <paramref name="existing"/> with the request applied (an omitted rtsp_url keeps the stored one).</summary>
    internal static Camera? Validate(CameraRequest? request, Camera? existing, StorageOptions options, DateTimeOffset now, ValidationErrors errors)
    {
        if (request is null)
        {
            errors.Add("body", "a JSON object is required");
            return null;
        }

        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200 || name.Any(char.IsControl))
        {
            errors.Add("name", "is required: 1 to 200 characters, no control characters");
        }

        var source = string.IsNullOrWhiteSpace(request.Source) ? null : request.Source.Trim();
        if (source is { Length: > 100 } || (source?.Any(char.IsControl) ?? false))
        {
            errors.Add("source", "must be at most 100 characters, no control characters");
        }

        var url = request.RtspUrl ?? existing?.RtspUrl;
        if (url is not null && !RtspUrls.IsValid(url, out var urlReason))
        {
            errors.Add("rtsp_url", urlReason!);
        }

        var mode = existing?.StorageMode ?? (StorageModes.TryParse(options.DefaultMode, out var d) ? d : StorageMode.Local);
        if (request.StorageMode is not null && !StorageModes.TryParse(request.StorageMode, out mode))
        {
            errors.Add("storage_mode", $"must be one of {StorageModes.Allowed}");
        }

        if (request.RetentionDays is { } days && (days < 1 || days > 36500))
        {
            errors.Add("retention_days", "must be from 1 to 36500 days, or null for the default");
        }

        var audio = existing?.Audio ?? CameraAudio.Keep;
        if (request.Audio is not null && !CameraStreamSettings.TryParse(request.Audio, out audio))
        {
            errors.Add("audio", $"must be one of {CameraStreamSettings.AllowedAudio}");
        }

        var transport = existing?.RtspTransport ?? RtspTransport.Tcp;
        if (request.RtspTransport is not null && !CameraStreamSettings.TryParse(request.RtspTransport, out transport))
        {
            errors.Add("rtsp_transport", $"must be one of {CameraStreamSettings.AllowedTransports}");
        }

        if (request.Id == Guid.Empty)
        {
            errors.Add("id", "must not be the empty UUID");
        }

        if (!errors.IsEmpty)
        {
            return null;
        }

        return new Camera(existing?.Id ?? request.Id ?? Guid.NewGuid(), name!, source, url, mode, request.RetentionDays,
            request.Enabled ?? true, existing?.CreatedAt ?? now, now)
        {
            Audio = audio,
            RtspTransport = transport,
        };
    }
}

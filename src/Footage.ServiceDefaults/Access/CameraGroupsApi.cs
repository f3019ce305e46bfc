using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Footage.ServiceDefaults.Access;

/// <summary>
/// <c>/api/v1/camera-groups</c>: admins create, rename and delete groups and set their cameras; everybody signed in reads
/// the groups (a caller limited to groups reads only theirs, with only the cameras they may see). Every change is in the
/// audit log, like any other.
/// </summary>
public static class CameraGroupsApi
{
    public sealed record CameraGroupRequest(string? Name, Guid[]? CameraIds);

    public sealed record CameraGroupResponse(Guid Id, string Name, IReadOnlyList<Guid> CameraIds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public static CameraGroupResponse From(CameraGroup g, CameraScope scope) =>
            new(g.Id, g.Name, g.CameraIds.Where(scope.Allows).ToArray(), g.CreatedAt, g.UpdatedAt);
    }

    public static IEndpointRouteBuilder MapCameraGroupsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/camera-groups").WithTags("Camera groups");
        group.MapGet("/", List).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{id}", Get).RequireAuthorization(Roles.Viewer);
        group.MapPost("/", Create).RequireAuthorization(Roles.Admin);
        group.MapPut("/{id}", Update).RequireAuthorization(Roles.Admin);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Roles.Admin);
        return endpoints;
    }

    private static async Task<Ok<CameraGroupResponse[]>> List(HttpContext http, CameraGroupStore store, CameraAccess access, CancellationToken ct)
    {
        var visible = await VisibleGroupsAsync(http, store, access, ct);
        return TypedResults.Ok(visible.Groups.Select(g => CameraGroupResponse.From(g, visible.Scope)).ToArray());
    }

    private static async Task<Results<Ok<CameraGroupResponse>, NotFound, ValidationProblem>> Get(
        string id, HttpContext http, CameraGroupStore store, CameraAccess access, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } groupId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var visible = await VisibleGroupsAsync(http, store, access, ct);
        return visible.Groups.FirstOrDefault(g => g.Id == groupId) is { } found
            ? TypedResults.Ok(CameraGroupResponse.From(found, visible.Scope))
            : TypedResults.NotFound();
    }

    private static async Task<Results<Created<CameraGroupResponse>, ProblemHttpResult, ValidationProblem>> Create(
        CameraGroupRequest? request, CameraGroupStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var name = ValidName(request, required: true, errors);
        var cameras = await ValidCamerasAsync(request?.CameraIds, store, errors, ct);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        var group = new CameraGroup(Guid.NewGuid(), name!, cameras ?? [], now, now);
        if (!await store.InsertAsync(group, ct))
        {
            return NameTaken(name!);
        }

        return TypedResults.Created($"/api/v1/camera-groups/{group.Id}", CameraGroupResponse.From(group, CameraScope.Everything));
    }

    private static async Task<Results<Ok<CameraGroupResponse>, NotFound, ProblemHttpResult, ValidationProblem>> Update(
        string id, CameraGroupRequest? request, CameraGroupStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var groupId = RouteValues.Id(id, "id", errors);
        var name = ValidName(request, required: false, errors);
        var cameras = await ValidCamerasAsync(request?.CameraIds, store, errors, ct);
        if (request is { Name: null, CameraIds: null })
        {
            errors.Add("body", "give a name, camera_ids or both");
        }

        if (!errors.IsEmpty || groupId is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        switch (await store.UpdateAsync(groupId.Value, name, cameras, clock.GetUtcNow(), ct))
        {
            case null:
                return TypedResults.NotFound();
            case false:
                return NameTaken(name!);
        }

        return TypedResults.Ok(CameraGroupResponse.From((await store.GetAsync(groupId.Value, ct))!, CameraScope.Everything));
    }

    private static async Task<Results<NoContent, NotFound, ValidationProblem>> Delete(string id, CameraGroupStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } groupId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return await store.DeleteAsync(groupId, clock.GetUtcNow(), ct) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>The groups the caller may see: all of them, or those of their scope, each with only the cameras they may see.</summary>
    private static async Task<(IReadOnlyList<CameraGroup> Groups, CameraScope Scope)> VisibleGroupsAsync(
        HttpContext http, CameraGroupStore store, CameraAccess access, CancellationToken ct)
    {
        var all = await store.ListAsync(ct);
        var scope = await access.ScopeAsync(http);
        return (scope.IsEverything ? all : all.Where(g => scope.AllowsGroup(g.Id)).ToArray(), scope);
    }

    private static string? ValidName(CameraGroupRequest? request, bool required, ValidationErrors errors)
    {
        if (request is null)
        {
            errors.Add("body", "a JSON object is required");
            return null;
        }

        var name = request.Name?.Trim();
        if ((required || request.Name is not null) && (string.IsNullOrEmpty(name) || name.Length > 200 || name.Any(char.IsControl)))
        {
            errors.Add("name", "is required: 1 to 200 characters, no control characters");
        }

        return name;
    }

    private static async Task<IReadOnlyList<Guid>?> ValidCamerasAsync(Guid[]? cameraIds, CameraGroupStore store, ValidationErrors errors, CancellationToken ct)
    {
        if (cameraIds is null)
        {
            return null;
        }

        if (cameraIds.Length > 10_000)
        {
            errors.Add("camera_ids", "at most 10000 cameras");
            return null;
        }

        var unknown = await store.UnknownCamerasAsync(cameraIds, ct);
        if (unknown.Count > 0)
        {
            errors.Add("camera_ids", $"names cameras that do not exist: {string.Join(", ", unknown.Take(5))}");
        }

        return cameraIds.Distinct().ToArray();
    }

    private static ProblemHttpResult NameTaken(string name) =>
        TypedResults.Problem(new ProblemDetails { Status = 409, Title = "Conflict", Detail = $"A camera group named '{name}' already exists." });
}

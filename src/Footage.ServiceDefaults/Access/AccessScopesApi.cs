using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Footage.ServiceDefaults.Access;

/// <summary>
/// <c>/api/v1/access</c>: admins limit an API key or a user (a bearer token's <c>preferred_username</c>) to camera groups,
/// or give them every camera again (<c>group_ids: null</c>, the default). Admins always see every camera.
/// </summary>
public static class AccessScopesApi
{
    public sealed record ScopeRequest(Guid[]? GroupIds);

    public sealed record ScopeResponse(string Principal, IReadOnlyList<Guid>? GroupIds, DateTimeOffset? UpdatedAt, string? UpdatedBy);

    public static IEndpointRouteBuilder MapAccessScopesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/access").WithTags("Camera groups").RequireAuthorization(Roles.Admin);
        group.MapGet("/", async (CameraGroupStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.ListScopesAsync(ct)).Select(s => new ScopeResponse(s.Principal, s.GroupIds, s.UpdatedAt, s.UpdatedBy)).ToArray()));
        group.MapPut("/keys/{id}", async Task<Results<Ok<ScopeResponse>, NotFound, ValidationProblem>> (
            string id, ScopeRequest? request, HttpContext http, ApiKeyStore keys, CameraGroupStore store, TimeProvider clock, CancellationToken ct) =>
        {
            var errors = new ValidationErrors();
            var keyId = RouteValues.Id(id, "id", errors);
            if (keyId is null)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }

            if ((await keys.ListAsync(ct)).All(k => k.Id != keyId.Value || k.RevokedAt is not null))
            {
                return TypedResults.NotFound();
            }

            return await SetAsync(CameraAccess.KeyPrincipal(keyId.Value.ToString()), request, http, store, clock, ct);
        });
        group.MapPut("/users/{name}", async Task<Results<Ok<ScopeResponse>, NotFound, ValidationProblem>> (
            string name, ScopeRequest? request, HttpContext http, CameraGroupStore store, TimeProvider clock, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 255 || name.Any(char.IsControl))
            {
                return TypedResults.ValidationProblem(new ValidationErrors().Add("name", "1 to 255 characters, no control characters").ToDictionary());
            }

            return await SetAsync(CameraAccess.UserPrincipal(name), request, http, store, clock, ct);
        });
        return endpoints;
    }

    private static async Task<Results<Ok<ScopeResponse>, NotFound, ValidationProblem>> SetAsync(
        string principal, ScopeRequest? request, HttpContext http, CameraGroupStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors.Add("body", "a JSON object is required").ToDictionary());
        }

        if (request.GroupIds is { } ids)
        {
            var unknown = await store.UnknownGroupsAsync(ids, ct);
            if (unknown.Count > 0 || ids.Length > 1000)
            {
                return TypedResults.ValidationProblem(errors.Add("group_ids", $"names groups that do not exist: {string.Join(", ", unknown.Take(5))}").ToDictionary());
            }
        }

        var now = clock.GetUtcNow();
        var groups = request.GroupIds?.Distinct().ToArray();
        await store.SetScopeAsync(principal, groups, http.User.ActorName(), now, ct);
        return TypedResults.Ok(new ScopeResponse(principal, groups, now, http.User.ActorName()));
    }
}

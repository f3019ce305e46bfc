using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Footage.ServiceDefaults.Auth;

/// <summary>Admins create, list and revoke API keys; a key's secret is shown once, at creation.</summary>
public static class ApiKeysApi
{
    public sealed record CreateApiKeyRequest(string? Name, string? Role);

    public sealed record CreatedApiKey(Guid Id, string Name, string Role, DateTimeOffset CreatedAt, string Key);

    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapGet("/me", (HttpContext http) => TypedResults.Ok(new
        {
            name = http.User.ActorName(),
            roles = Roles.All.Where(http.User.IsInRole).ToArray(),
        })).RequireAuthorization(Roles.Viewer);

        var keys = group.MapGroup("/keys").RequireAuthorization(Roles.Admin);
        keys.MapGet("/", async (ApiKeyStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)));
        keys.MapPost("/", Create);
        keys.MapDelete("/{id}", async Task<Results<NoContent, NotFound, ValidationProblem>> (string id, ApiKeyStore store, CancellationToken ct) =>
        {
            var errors = new ValidationErrors();
            var keyId = RouteValues.Id(id, "id", errors);
            if (keyId is null)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }

            return await store.RevokeAsync(keyId.Value, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
        });
        return endpoints;
    }

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> Create(CreateApiKeyRequest? request, HttpContext http, ApiKeyStore store, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors.Add("body", "a JSON object is required").ToDictionary());
        }

        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors.Add("name", "is required, at most 100 characters");
        }

        if (!Roles.IsKnown(request.Role))
        {
            errors.Add("role", $"must be one of {string.Join(", ", Roles.All)}");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var (key, secret) = await store.CreateAsync(name!, request.Role!, http.User.ActorName(), ct);
        return TypedResults.Created($"/api/v1/auth/keys/{key.Id}", new CreatedApiKey(key.Id, key.Name, key.Role, key.CreatedAt, secret));
    }
}

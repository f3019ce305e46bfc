using System.Security.Claims;
using Footage.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;

namespace Footage.ServiceDefaults.Access;

/// <summary>
/// Which cameras the caller of a request may see, read once per request. Admins and signed links (whose maker was
/// checked when the link was made) see every camera; a viewer or operator sees every camera unless an admin limited
/// their API key (<c>key:{id}</c>) or user name (<c>user:{name}</c>) to groups.
/// </summary>
public sealed class CameraAccess(CameraGroupStore groups)
{
    private static readonly object ItemKey = new();

    public static string? PrincipalOf(ClaimsPrincipal user) =>
        user.FindFirst("key_id")?.Value is { } keyId ? KeyPrincipal(keyId)
        : user.Identity?.IsAuthenticated == true && !user.HasClaim("signed_link", "true") ? UserPrincipal(user.ActorName())
        : null;

    public static string KeyPrincipal(string keyId) => $"key:{keyId.ToLowerInvariant()}";

    public static string UserPrincipal(string userName) => $"user:{userName}";

    public async Task<CameraScope> ScopeAsync(HttpContext http)
    {
        if (http.Items.TryGetValue(ItemKey, out var cached) && cached is CameraScope scope)
        {
            return scope;
        }

        scope = await ReadScopeAsync(http.User, http.RequestAborted);
        http.Items[ItemKey] = scope;
        return scope;
    }

    public async Task<CameraScope> ReadScopeAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Admin) || PrincipalOf(user) is not { } principal)
        {
            return CameraScope.Everything;
        }

        var limit = await groups.GetScopeAsync(principal, cancellationToken);
        return limit is null ? CameraScope.Everything : CameraScope.Only(await groups.CamerasOfAsync(limit.GroupIds, cancellationToken), limit.GroupIds);
    }
}

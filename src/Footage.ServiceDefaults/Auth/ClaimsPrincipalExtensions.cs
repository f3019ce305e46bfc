using System.Security.Claims;

namespace Footage.ServiceDefaults.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>Who the caller is, for created_by, user_id and custody entries: never taken from a request body.</summary>
    public static string ActorName(this ClaimsPrincipal user) =>
        user.Identity?.Name
        ?? user.FindFirst("preferred_username")?.Value
        ?? user.FindFirst("sub")?.Value
        ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value
        ?? "anonymous";
}

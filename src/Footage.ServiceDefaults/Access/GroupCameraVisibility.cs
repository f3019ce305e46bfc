using System.Security.Claims;
using Footage.Core.Cameras;

namespace Footage.ServiceDefaults.Access;

/// <summary>The cameras a caller may see for the modules that list footage or what was said about it (search first): their groups' cameras, or every camera.</summary>
public sealed class GroupCameraVisibility(CameraAccess access) : ICameraVisibility
{
    public async ValueTask<IReadOnlySet<Guid>?> VisibleCamerasAsync(ClaimsPrincipal caller, CancellationToken cancellationToken) =>
        (await access.ReadScopeAsync(caller, cancellationToken)).Cameras;
}

using System.Security.Claims;

namespace Footage.Core.Cameras;

/// <summary>Every caller sees every camera: the default while there are no rights per group of cameras.</summary>
public sealed class EveryCameraVisible : ICameraVisibility
{
    public ValueTask<IReadOnlySet<Guid>?> VisibleCamerasAsync(ClaimsPrincipal caller, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlySet<Guid>?>(null);
}

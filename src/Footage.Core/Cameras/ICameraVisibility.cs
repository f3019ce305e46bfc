using System.Security.Claims;

namespace Footage.Core.Cameras;

/// <summary>
/// The cameras a caller may see: every place that lists footage or what was said about it (search first) keeps to them.
/// Null means every camera. The host's rights per camera group implement it (a caller limited to groups sees their cameras);
/// <see cref="EveryCameraVisible"/> is the fallback of a module used without the service defaults.
/// </summary>
public interface ICameraVisibility
{
    ValueTask<IReadOnlySet<Guid>?> VisibleCamerasAsync(ClaimsPrincipal caller, CancellationToken cancellationToken);
}

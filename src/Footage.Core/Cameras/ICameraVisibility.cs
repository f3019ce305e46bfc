using System.Security.Claims;

namespace Footage.Core.Cameras;

/// <summary>
/// The cameras a caller may see: every place that lists footage or what was said about it (search first) keeps to them.
/// Null means every camera. Rights per group of cameras plug in here; until then every caller sees every camera
/// (<see cref="EveryCameraVisible"/>).
/// </summary>
public interface ICameraVisibility
{
    ValueTask<IReadOnlySet<Guid>?> VisibleCamerasAsync(ClaimsPrincipal caller, CancellationToken cancellationToken);
}

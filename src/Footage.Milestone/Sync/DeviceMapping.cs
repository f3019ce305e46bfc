using Footage.Core.Cameras;

namespace Footage.Milestone.Sync;

/// <summary>
/// Which Milestone camera one of ours is: the device id written in its source as <c>milestone:{device_id}</c>
/// (a BOTH camera we also record under our own id), otherwise its own id (cameras imported from Milestone keep Milestone's id).
/// </summary>
public static class DeviceMapping
{
    public const string SourcePrefix = "milestone:";
    public const string ImportedSource = "milestone";

    public static Guid DeviceOf(Camera camera) =>
        camera.Source is { } source && source.StartsWith(SourcePrefix, StringComparison.OrdinalIgnoreCase) &&
        Guid.TryParse(source.AsSpan(SourcePrefix.Length), out var device)
            ? device
            : camera.Id;
}

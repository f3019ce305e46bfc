namespace Footage.ServiceDefaults.Access;

/// <summary>The cameras one request may see: every camera, or those of the caller's groups.</summary>
public sealed class CameraScope
{
    private readonly HashSet<Guid>? _cameras;

    private CameraScope(HashSet<Guid>? cameras) => _cameras = cameras;

    public static CameraScope Everything { get; } = new(null);

    public bool IsEverything => _cameras is null;

    /// <summary>The cameras that may be seen; null for every camera.</summary>
    public IReadOnlySet<Guid>? Cameras => _cameras;

    public static CameraScope Only(IEnumerable<Guid> cameras) => new([.. cameras]);

    public bool Allows(Guid cameraId) => _cameras is null || _cameras.Contains(cameraId);

    /// <summary>True when every camera of the list may be seen (an export or incident of several cameras).</summary>
    public bool AllowsAll(IEnumerable<Guid> cameraIds) => _cameras is null || cameraIds.All(_cameras.Contains);
}

namespace Footage.ServiceDefaults.Access;

/// <summary>The cameras one request may see: every camera, or those of the caller's groups.</summary>
public sealed class CameraScope
{
    private readonly HashSet<Guid>? _cameras;
    private readonly HashSet<Guid>? _groups;

    private CameraScope(HashSet<Guid>? cameras, HashSet<Guid>? groups)
    {
        _cameras = cameras;
        _groups = groups;
    }

    public static CameraScope Everything { get; } = new(null, null);

    public bool IsEverything => _cameras is null;

    /// <summary>The cameras that may be seen; null for every camera.</summary>
    public IReadOnlySet<Guid>? Cameras => _cameras;

    /// <summary>The cameras of <paramref name="groups"/>.</summary>
    public static CameraScope Only(IEnumerable<Guid> cameras, IEnumerable<Guid> groups) => new([.. cameras], [.. groups]);

    /// <summary>Whether the caller may see the group (theirs, or any when they see everything).</summary>
    public bool AllowsGroup(Guid groupId) => _groups is null || _groups.Contains(groupId);

    public bool Allows(Guid cameraId) => _cameras is null || _cameras.Contains(cameraId);

    /// <summary>True when every camera of the list may be seen (an export or incident of several cameras).</summary>
    public bool AllowsAll(IEnumerable<Guid> cameraIds) => _cameras is null || cameraIds.All(_cameras.Contains);
}

using System.Collections.Concurrent;

namespace Footage.Recording.Cameras;

/// <summary>Every camera's <see cref="CameraStatus"/>, created on first use; <see cref="Changed"/> fires when one changes.</summary>
public sealed class StatusBoard
{
    private readonly ConcurrentDictionary<Guid, CameraStatus> _statuses = new();

    public event Action? Changed;

    public CameraStatus For(Guid cameraId) => _statuses.GetOrAdd(cameraId, id => new CameraStatus(id, () => Changed?.Invoke()));

    public bool TryGet(Guid cameraId, out CameraStatus status) => _statuses.TryGetValue(cameraId, out status!);

    public IReadOnlyCollection<CameraStatus> All => _statuses.Values.ToArray();
}

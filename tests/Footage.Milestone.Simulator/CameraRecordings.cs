namespace Footage.Milestone.Simulator;

/// <summary>Every simulated camera's recording (<see cref="CameraTimeline"/>), by Milestone device id.</summary>
public sealed class CameraRecordings
{
    private readonly Dictionary<Guid, CameraTimeline> _cameras = [];

    public CameraRecordings(IEnumerable<SimulatedCamera> cameras, IReadOnlyDictionary<ClipFormat, RecordedClip> clips)
    {
        foreach (var camera in cameras)
        {
            _cameras[camera.DeviceId] = new CameraTimeline(camera, clips[camera.Format]);
        }
    }

    public IEnumerable<SimulatedCamera> Cameras => _cameras.Values.Select(c => c.Camera);

    public bool TryGet(Guid deviceId, out CameraTimeline timeline)
    {
        var found = _cameras.TryGetValue(deviceId, out var entry);
        timeline = entry!;
        return found;
    }

    /// <summary>The recorded spans of a camera, as (first frame, last frame) times; none for an unknown camera.</summary>
    public IEnumerable<(long Begin, long End)> Sequences(Guid deviceId) =>
        _cameras.TryGetValue(deviceId, out var timeline) ? timeline.Sequences() : [];
}

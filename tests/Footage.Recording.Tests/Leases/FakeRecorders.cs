using Footage.Recording.Leases;

namespace Footage.Recording.Tests.Leases;

/// <summary>A recorder process's cameras without ffmpeg: the lease logic only needs to know which ones run.</summary>
internal sealed class FakeRecorders : ILeasedCameras
{
    private readonly HashSet<Guid> _running = [];

    public IReadOnlyCollection<Guid> Running => _running.ToArray();

    public List<Guid> Started { get; } = [];

    public Task StartRecorderAsync(Guid cameraId)
    {
        _running.Add(cameraId);
        Started.Add(cameraId);
        return Task.CompletedTask;
    }

    public Task StopRecorderAsync(Guid cameraId)
    {
        _running.Remove(cameraId);
        return Task.CompletedTask;
    }
}

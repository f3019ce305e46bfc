using Footage.Core.Storage;

namespace Footage.Core.Live;

/// <summary>No recorder is reachable from this process: live playlists hold the catalogued footage only.</summary>
public sealed class NoLiveSegments : ILiveSegmentSource
{
    public Task<IReadOnlyList<LiveSegment>> ListAsync(Guid cameraId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LiveSegment>>([]);

    public Task<Stream?> OpenReadAsync(Guid cameraId, string file, ByteRange range, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(null);
}

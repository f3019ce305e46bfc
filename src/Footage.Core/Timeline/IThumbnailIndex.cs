using Footage.Core.Time;

namespace Footage.Core.Timeline;

/// <summary>Finds a camera's thumbnails by time.</summary>
public interface IThumbnailIndex
{
    Task<IReadOnlyList<Thumbnail>> ListAsync(Guid cameraId, TimeRange range, int limit, CancellationToken cancellationToken);

    Task<Thumbnail?> GetAsync(Guid id, CancellationToken cancellationToken);
}

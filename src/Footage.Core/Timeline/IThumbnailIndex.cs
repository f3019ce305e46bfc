using Footage.Core.Time;

namespace Footage.Core.Timeline;

/// <summary>
/// The <c>thumbnails</c> table, which the Storage module owns (its migrations, its retention): the Recording module lists
/// the stills it stores, the recording and playback APIs find them by camera and time.
/// </summary>
public interface IThumbnailIndex
{
    Task<IReadOnlyList<Thumbnail>> ListAsync(Guid cameraId, TimeRange range, int limit, CancellationToken cancellationToken);

    Task<Thumbnail?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The camera's last thumbnail taken at or before the instant.</summary>
    Task<Thumbnail?> AtAsync(Guid cameraId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Lists a stored still; a capture time listed already keeps its row (a retry, or the same picture made twice): false.</summary>
    Task<bool> AddAsync(Thumbnail thumbnail, CancellationToken cancellationToken);
}

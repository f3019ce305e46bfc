using Footage.Core.Segments;

namespace Footage.Playback.Caching;

/// <summary>Moves a camera's cache generation whenever its catalog changes, retiring every playlist built before.</summary>
public sealed class CacheInvalidation(IPlaybackCache cache) : ISegmentChangeListener
{
    public Task SegmentsChangedAsync(Guid cameraId, CancellationToken cancellationToken) => cache.BumpGenerationAsync(cameraId, cancellationToken);
}

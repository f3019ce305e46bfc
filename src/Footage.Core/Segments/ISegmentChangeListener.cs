namespace Footage.Core.Segments;

/// <summary>Told when a camera's catalog changes (a segment registered or deleted), so caches built from it can drop what they hold.</summary>
public interface ISegmentChangeListener
{
    Task SegmentsChangedAsync(Guid cameraId, CancellationToken cancellationToken);
}

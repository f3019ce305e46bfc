using Footage.Core.Time;

namespace Footage.Core.Timeline;

/// <summary>A module that has markers for the playback timeline (Metadata: annotations and incidents).</summary>
public interface ITimelineMarkerSource
{
    Task<IReadOnlyList<TimelineMarker>> GetMarkersAsync(Guid cameraId, TimeRange range, CancellationToken cancellationToken);
}

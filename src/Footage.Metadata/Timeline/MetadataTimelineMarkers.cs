using Footage.Core.Time;
using Footage.Core.Timeline;
using Footage.Metadata.Annotations;
using Footage.Metadata.Incidents;

namespace Footage.Metadata.Timeline;

/// <summary>Annotations (instants) and incidents (ranges) of a camera, as markers for the playback timeline.</summary>
public sealed class MetadataTimelineMarkers(AnnotationRepository annotations, IncidentRepository incidents) : ITimelineMarkerSource
{
    public const int MaxAnnotations = 5000;

    public async Task<IReadOnlyList<TimelineMarker>> GetMarkersAsync(Guid cameraId, TimeRange range, CancellationToken cancellationToken)
    {
        var markers = new List<TimelineMarker>();
        foreach (var a in await annotations.ListAsync(new AnnotationFilter(null, cameraId, range.Start, range.End), MaxAnnotations, 0, cancellationToken))
        {
            markers.Add(new TimelineMarker("annotation", a.Id, a.Timestamp, null, a.Content, a.Type));
        }

        foreach (var id in await incidents.OverlappingAsync([cameraId], range, cancellationToken))
        {
            if (await incidents.GetAsync(id, cancellationToken) is { } incident)
            {
                markers.Add(new TimelineMarker("incident", incident.Id, incident.StartTime, incident.EndTime, incident.Title,
                    incident.Severity.ToString().ToUpperInvariant()));
            }
        }

        return markers;
    }
}

using Footage.Core.Incidents;

namespace Footage.Metadata.Incidents;

/// <summary>The incidents table as <see cref="IIncidentDirectory"/> for other modules.</summary>
public sealed class IncidentDirectory(IncidentRepository incidents) : IIncidentDirectory
{
    public async Task<IncidentFootage?> GetAsync(Guid incidentId, CancellationToken cancellationToken) =>
        await incidents.GetAsync(incidentId, cancellationToken) is { } incident
            ? new IncidentFootage(incident.Id, incident.Title, incident.CameraIds, incident.StartTime, incident.EndTime)
            : null;
}

namespace Footage.Core.Incidents;

/// <summary>The default where no module keeps incidents: there is none.</summary>
public sealed class NoIncidents : IIncidentDirectory
{
    public Task<IncidentFootage?> GetAsync(Guid incidentId, CancellationToken cancellationToken) => Task.FromResult<IncidentFootage?>(null);
}

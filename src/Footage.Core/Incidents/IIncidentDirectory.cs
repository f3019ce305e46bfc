namespace Footage.Core.Incidents;

/// <summary>
/// Incidents as other modules see them (Storage saves an incident's footage as a clip). The Metadata module answers from its
/// tables, in process or, in split mode, from the shared database.
/// </summary>
public interface IIncidentDirectory
{
    /// <summary>The incident, or null when there is none with this id.</summary>
    Task<IncidentFootage?> GetAsync(Guid incidentId, CancellationToken cancellationToken);
}

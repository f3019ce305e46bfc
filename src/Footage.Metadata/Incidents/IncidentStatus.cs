namespace Footage.Metadata.Incidents;

/// <summary>Where an incident stands; on the wire and in the database OPEN, INVESTIGATING, CLOSED.</summary>
public enum IncidentStatus
{
    Open,
    Investigating,
    Closed,
}

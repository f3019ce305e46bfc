namespace Footage.Metadata.Incidents;

/// <summary>How serious an incident is; on the wire and in the database LOW, MEDIUM, HIGH, CRITICAL.</summary>
public enum IncidentSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

using Footage.ServiceDefaults.Validation;

namespace Footage.Metadata.Incidents;

/// <summary>What an update did: the incident was missing, the change was invalid, or here is the incident before and after.</summary>
public sealed record IncidentUpdate(Incident? Before, Incident? After, ValidationErrors? Errors)
{
    public bool NotFound => Before is null && Errors is null;
}

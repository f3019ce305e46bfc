using Footage.Metadata.Incidents;

namespace Footage.Metadata.Search;

/// <summary>An incident found by a search, with its rank and its matches marked (when the search had text).</summary>
public sealed record IncidentHit(Incident Incident, double? Rank, string? TitleHighlight, string? DescriptionHighlight);

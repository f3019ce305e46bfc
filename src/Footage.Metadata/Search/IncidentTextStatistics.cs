namespace Footage.Metadata.Search;

/// <summary>The <see cref="TextStatistics"/> of PostgreSQL's incidents (their <c>search_vector</c>).</summary>
public sealed class IncidentTextStatistics(TimeProvider clock) : CachedTextStatistics(clock, "incidents");

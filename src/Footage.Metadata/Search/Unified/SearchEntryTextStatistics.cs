namespace Footage.Metadata.Search.Unified;

/// <summary>The <see cref="TextStatistics"/> of PostgreSQL's search index over every kind (<c>search_entries.search_vector</c>).</summary>
public sealed class SearchEntryTextStatistics(TimeProvider clock) : CachedTextStatistics(clock, "search_entries");

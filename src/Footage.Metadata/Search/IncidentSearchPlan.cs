namespace Footage.Metadata.Search;

/// <summary>How PostgreSQL is asked to find the incidents of a full-text search; both give the same results.</summary>
public enum IncidentSearchPlan
{
    /// <summary>The text condition as <c>search_vector @@ query</c>, which the GIN text index serves; the planner picks the plan.</summary>
    TextIndex,

    /// <summary>
    /// The text condition in a form the GIN text index cannot serve, so PostgreSQL reads the incidents that pass the
    /// filters (through their B-tree or GIN indexes) and checks the text on each: cheaper when the words are common
    /// and the filters narrow.
    /// </summary>
    FilterWalk,
}

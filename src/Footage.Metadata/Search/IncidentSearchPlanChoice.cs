namespace Footage.Metadata.Search;

/// <summary>
/// The plan chosen for a search and the estimates it was chosen from (0 when not estimated): the incidents matching
/// the text, and the incidents a walk of the filters reads.
/// </summary>
public sealed record IncidentSearchPlanChoice(IncidentSearchPlan Plan, double TextRows, double FilterRows)
{
    public static readonly IncidentSearchPlanChoice Default = new(IncidentSearchPlan.TextIndex, 0, 0);
}

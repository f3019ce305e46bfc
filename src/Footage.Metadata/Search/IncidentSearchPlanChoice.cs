namespace Footage.Metadata.Search;

/// <summary>The plan chosen for a search and the two estimates it was chosen from (0 when not estimated).</summary>
public sealed record IncidentSearchPlanChoice(IncidentSearchPlan Plan, double TextIndexRows, double FilterRows)
{
    public static readonly IncidentSearchPlanChoice Default = new(IncidentSearchPlan.TextIndex, 0, 0);
}

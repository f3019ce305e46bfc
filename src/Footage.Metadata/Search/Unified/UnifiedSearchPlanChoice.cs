namespace Footage.Metadata.Search.Unified;

/// <summary>
/// How each statement of a search reaches the entries matching its text (<see cref="Top"/> for the page of the highest rank read newest first,
/// <see cref="Ranked"/> for the page ranked over every match) and the estimates the choice came from (0 when not
/// estimated): the work of the text index in entries, the entries matching, the entries the filters' plan reads and
/// keeps, and the entries a walk newest first reads before it has a page.
/// </summary>
public sealed record UnifiedSearchPlanChoice(UnifiedTextAccess Top, UnifiedTextAccess Ranked, double TextWork, double Matches,
    double FilterRowsRead, double FilterRowsKept, double Walked)
{
    public static readonly UnifiedSearchPlanChoice Default = new(UnifiedTextAccess.TextIndex, UnifiedTextAccess.TextIndex, 0, 0, 0, 0, 0);

    public static UnifiedSearchPlanChoice Forced(UnifiedTextAccess access) => new(access, access, 0, 0, 0, 0, 0);
}

namespace Footage.Metadata.Search.Unified;

/// <summary>How <see cref="UnifiedSearch"/> asks the database for a page; both give the same page.</summary>
internal enum UnifiedSearchPlan
{
    /// <summary>Tags in a statement of their own, merged with the other kinds by rank (the product's plan).</summary>
    TagsApart,

    /// <summary>One statement over every kind wanted, the filters one branch per kind (the plan before; kept to compare).</summary>
    OneStatement,
}

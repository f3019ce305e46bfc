namespace Footage.Metadata.Search.Unified;

/// <summary>How a PostgreSQL statement of <see cref="UnifiedSearch"/> reaches the entries matching the text.</summary>
public enum UnifiedTextAccess
{
    /// <summary><c>search_vector @@ q</c>: the text index hands over every entry holding the words.</summary>
    TextIndex,

    /// <summary>
    /// The entries newest first, the text of each checked, until the page is full: the text test is written as a
    /// function call (<c>ts_match_vq</c>), which no index serves, so that PostgreSQL walks <c>idx_search_entries_start</c>.
    /// Only for the page of the highest rank, which is in that order.
    /// </summary>
    NewestFirst,

    /// <summary>
    /// The entries the filters' indexes find (a camera's), read in a subquery PostgreSQL plans on its own
    /// (<c>OFFSET 0</c>), the text of each checked: neither the text index nor a walk newest first.
    /// </summary>
    Filters,
}

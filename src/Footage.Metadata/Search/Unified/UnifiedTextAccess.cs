namespace Footage.Metadata.Search.Unified;

/// <summary>How a PostgreSQL statement of <see cref="UnifiedSearch"/> finds the entries matching the text.</summary>
public enum UnifiedTextAccess
{
    /// <summary><c>search_vector @@ q</c>: the text index hands over every entry holding the words.</summary>
    TextIndex,

    /// <summary>
    /// The same test as a function call (<c>ts_match_vq</c>), which no index serves: PostgreSQL reads entries by the
    /// other indexes (the filters', or the newest first) and checks the text of each.
    /// </summary>
    OtherIndexes,
}

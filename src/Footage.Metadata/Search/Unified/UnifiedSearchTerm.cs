namespace Footage.Metadata.Search.Unified;

/// <summary>
/// A word, phrase, prefix or code of a search, possibly excluded (<c>-word</c>), with the forms it may take in the text: a
/// code such as <c>K-71</c> is found written <c>K-71</c>, <c>K 71</c> or <c>K71</c>.
/// </summary>
public sealed record UnifiedSearchTerm(IReadOnlyList<SearchForm> Forms, bool Negated)
{
    public string Key => string.Join(" | ", Forms.Select(f => f.Key));

    public string ToTsQuery(string weights = "") =>
        Forms.Count == 1
            ? Forms[0].ToTsQuery(weights)
            : "(" + string.Join(" | ", Forms.Select(f => f.Words.Count > 1 ? "(" + f.ToTsQuery(weights) + ")" : f.ToTsQuery(weights))) + ")";

    /// <summary>FTS5 text, limited to the columns given (null: any).</summary>
    public string ToFts5(string? column = null)
    {
        var forms = Forms.Count == 1 ? Forms[0].ToFts5() : "(" + string.Join(" OR ", Forms.Select(f => f.ToFts5())) + ")";
        return column is null ? forms : $"{column} : {(Forms.Count == 1 ? "(" + forms + ")" : forms)}";
    }
}

namespace Footage.Metadata.Search.Unified;

/// <summary>
/// One way a search term may occur in the text: its words in a row (one word, or a phrase), the last one possibly a
/// prefix (<c>K-7*</c>). Words hold only letters and digits, lower case, so they carry no syntax of either database.
/// </summary>
public sealed record SearchForm(IReadOnlyList<string> Words, bool Prefix)
{
    public string Key => string.Join(' ', Words) + (Prefix ? "*" : "");

    /// <summary>PostgreSQL <c>to_tsquery</c> text: <c>'white' &lt;-&gt; 'van'</c>, each lexeme restricted to the weights given (none: any).</summary>
    public string ToTsQuery(string weights)
    {
        var last = Words.Count - 1;
        return string.Join(" <-> ", Words.Select((w, i) =>
        {
            var label = (i == last && Prefix ? "*" : "") + weights;
            return label.Length == 0 ? $"'{w}'" : $"'{w}':{label}";
        }));
    }

    /// <summary>FTS5 text: one quoted phrase, <c>*</c> after it for a prefix.</summary>
    public string ToFts5() => "\"" + string.Join(' ', Words) + "\"" + (Prefix ? " *" : "");
}

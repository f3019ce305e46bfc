namespace Footage.Metadata.Search;

/// <summary>A word or phrase of a search, possibly excluded (<c>-word</c>).</summary>
public sealed record SearchTerm(IReadOnlyList<string> Words, bool Negated)
{
    /// <summary>The term as an FTS5 string: one phrase in double quotes (its words hold only letters and digits).</summary>
    public string ToFts5() => "\"" + string.Join(' ', Words) + "\"";
}

using System.Text;

namespace Footage.Metadata.Search;

/// <summary>
/// A search text in PostgreSQL's <c>websearch_to_tsquery</c> syntax (words are ANDed, <c>"quoted phrases"</c>,
/// <c>or</c> between alternatives, <c>-word</c> to exclude), parsed into alternatives of terms, with
/// PostgreSQL's English stop words removed as it removes them. SQLite runs each term as its own FTS5 phrase
/// so that the two databases find the same incidents for the same text. Parsed by hand because no library
/// reproduces PostgreSQL's rules, and because the output must never carry FTS5 syntax from the user.
/// </summary>
public sealed record WebSearchQuery(IReadOnlyList<IReadOnlyList<SearchTerm>> Alternatives)
{
    /// <summary>PostgreSQL's <c>english.stop</c> list (the Snowball list).</summary>
    private static readonly HashSet<string> StopWords = new(
        """
        i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they
        them their theirs themselves what which who whom this that these those am is are was were be been being have has had having do does
        did doing a an the and but if or because as until while of at by for with about against between into through during before after
        above below to from up down in out on off over under again further then once here there when where why how all any both each few
        more most other some such no nor not only own same so than too very s t can will just don should now
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    /// <summary>True when nothing searchable is left (empty text, punctuation, stop words only): nothing matches.</summary>
    public bool IsEmpty => Alternatives.Count == 0;

    /// <summary>The terms that must occur (for ranking and highlighting).</summary>
    public IEnumerable<SearchTerm> PositiveTerms => Alternatives.SelectMany(a => a).Where(t => !t.Negated);

    public static WebSearchQuery Parse(string text) => new(WebSearchSyntax.Parse(text, (raw, _, negated) =>
    {
        var words = Words(raw).Where(w => !StopWords.Contains(w)).ToArray();
        return words.Length == 0 ? null : new SearchTerm(words, negated);
    }));

    private static IEnumerable<string> Words(string raw)
    {
        var word = new StringBuilder();
        foreach (var c in raw)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}

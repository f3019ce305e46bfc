using System.Text;

namespace Footage.Metadata.Search.Unified;

/// <summary>
/// The text of a search: words are ANDed, <c>"a phrase"</c>, <c>or</c> between alternatives, <c>-word</c> excludes,
/// <c>word*</c> is a prefix (PostgreSQL's <c>websearch_to_tsquery</c> syntax plus prefixes). A word is a run of letters
/// and digits, so a plate or code is a phrase of its parts (<c>K-71</c>: <c>k</c> then <c>71</c>), also found written
/// together (<c>K71</c>) and the other way round. A lone stop word (<c>the</c>) is left out as PostgreSQL leaves it out;
/// inside a phrase every word counts. The result is compiled into <c>to_tsquery</c> text for PostgreSQL and FTS5
/// phrases for SQLite by the same rules, so that both find the same entries; words carry only letters and digits, so no
/// syntax of either database ever comes from the user.
/// </summary>
public sealed record SearchExpression(IReadOnlyList<IReadOnlyList<UnifiedSearchTerm>> Alternatives)
{
    /// <summary>More terms than this are ignored: a search is a few words, and each costs the database work.</summary>
    public const int MaximumTerms = 32;

    private static readonly HashSet<string> StopWords = new(
        """
        i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they
        them their theirs themselves what which who whom this that these those am is are was were be been being have has had having do does
        did doing a an the and but if or because as until while of at by for with about against between into through during before after
        above below to from up down in out on off over under again further then once here there when where why how all any both each few
        more most other some such no nor not only own same so than too very s t can will just don should now
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    /// <summary>True when nothing searchable is left (empty, punctuation or stop words only): nothing matches.</summary>
    public bool IsEmpty => Alternatives.Count == 0;

    /// <summary>The distinct terms that must occur in some alternative: they rank and highlight a hit.</summary>
    public IReadOnlyList<UnifiedSearchTerm> PositiveTerms =>
        Alternatives.SelectMany(a => a).Where(t => !t.Negated).DistinctBy(t => t.Key).ToArray();

    /// <summary>The whole expression as PostgreSQL <c>to_tsquery</c> text.</summary>
    public string ToTsQuery() => string.Join(" | ", Alternatives.Select(a => "(" + string.Join(" & ", a.Select(t => t.Negated ? $"!({t.ToTsQuery()})" : t.ToTsQuery())) + ")"));

    /// <summary>The positive terms ORed, as PostgreSQL <c>to_tsquery</c> text (for highlighting); null when there are none.</summary>
    public string? PositiveTsQuery() => PositiveTerms.Count == 0 ? null : string.Join(" | ", PositiveTerms.Select(t => t.ToTsQuery()));

    /// <summary>The positive terms ORed, as FTS5 text (for highlighting); null when there are none.</summary>
    public string? PositiveFts5() => PositiveTerms.Count == 0 ? null : string.Join(" OR ", PositiveTerms.Select(t => t.ToFts5()));

    public static SearchExpression Parse(string text) => new(WebSearchSyntax.Parse(text, Term, MaximumTerms));

    private static UnifiedSearchTerm? Term(string raw, bool quoted, bool negated)
    {
        var prefix = raw.TrimEnd().EndsWith('*');
        var words = Words(raw).ToArray();
        if (words.Length == 0 || (words.Length == 1 && !prefix && StopWords.Contains(words[0])))
        {
            return null;
        }

        var forms = new List<SearchForm> { new(words, prefix) };
        if (!quoted && words.Any(w => w.Any(char.IsDigit)))
        {
            // a plate or code: also written in one piece, or cut where letters and digits meet
            var joined = string.Concat(words);
            forms.Add(new SearchForm([joined], prefix));
            forms.Add(new SearchForm(LettersAndDigits(joined).ToArray(), prefix));
        }

        return new UnifiedSearchTerm(forms.DistinctBy(f => f.Key).ToArray(), negated);
    }

    /// <summary>The runs of letters and digits, lower case: what both databases' tokenizers make words of.</summary>
    public static IEnumerable<string> Words(string raw)
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

    private static IEnumerable<string> LettersAndDigits(string word)
    {
        var start = 0;
        for (var i = 1; i <= word.Length; i++)
        {
            if (i == word.Length || char.IsDigit(word[i]) != char.IsDigit(word[i - 1]))
            {
                yield return word[start..i];
                start = i;
            }
        }
    }
}

namespace Footage.Metadata.Search;

/// <summary>
/// What PostgreSQL's ANALYZE last measured of a table's <c>search_vector</c> (incidents, or the search index over every
/// kind): the share of rows holding each of
/// its most common lexemes (<c>pg_stats.most_common_elems</c> and <c>most_common_elem_freqs</c>), an upper bound for
/// every other lexeme (the smallest listed share), and the number of rows.
/// </summary>
public sealed record TextStatistics(IReadOnlyDictionary<string, double> Frequencies, double UnlistedFrequency, double Rows)
{
    public static readonly TextStatistics None = new(new Dictionary<string, double>(), 0, 0);

    /// <summary>True when the table has not been analyzed: nothing is known about its words.</summary>
    public bool IsEmpty => Frequencies.Count == 0 || Rows <= 0;

    public double FrequencyOf(string lexeme) => Frequencies.TryGetValue(lexeme, out var share) ? share : UnlistedFrequency;

    /// <summary>
    /// About how many incidents match the query's text, taking words as independent: the product of the shares of an
    /// alternative's words (a phrase's words all occur), times the share without each excluded term, summed over the
    /// alternatives. That is what the GIN text index hands to the rest of the plan: it intersects the posting lists of
    /// ANDed words itself, and building the bitmap of what it returns is most of its cost.
    /// </summary>
    /// <param name="lexemesOf">The lexemes PostgreSQL makes of each word of the query (none for a stop word).</param>
    public double MatchingRows(WebSearchQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>> lexemesOf)
    {
        var total = 0.0;
        foreach (var alternative in query.Alternatives)
        {
            var share = 1.0;
            foreach (var term in alternative)
            {
                var termShare = term.Words
                    .SelectMany(w => lexemesOf.TryGetValue(w, out var lexemes) ? lexemes : [])
                    .Aggregate(1.0, (product, lexeme) => product * FrequencyOf(lexeme));
                share *= term.Negated ? 1 - termShare : termShare;
            }

            total += share;
        }

        return Math.Min(1.0, total) * Rows;
    }
}

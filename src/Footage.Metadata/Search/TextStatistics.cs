namespace Footage.Metadata.Search;

/// <summary>
/// What PostgreSQL's ANALYZE last measured of <c>incidents.search_vector</c>: the share of incidents holding each of
/// its most common lexemes (<c>pg_stats.most_common_elems</c> and <c>most_common_elem_freqs</c>), an upper bound for
/// every other lexeme (the smallest listed share), and the number of incidents.
/// </summary>
public sealed record TextStatistics(IReadOnlyDictionary<string, double> Frequencies, double UnlistedFrequency, double Rows)
{
    public static readonly TextStatistics None = new(new Dictionary<string, double>(), 0, 0);

    /// <summary>True when the table has not been analyzed: nothing is known about its words.</summary>
    public bool IsEmpty => Frequencies.Count == 0 || Rows <= 0;

    public double FrequencyOf(string lexeme) => Frequencies.TryGetValue(lexeme, out var share) ? share : UnlistedFrequency;

    /// <summary>
    /// About how many entries the GIN text index reads for the query: for each alternative the rarest of its required
    /// terms (GIN skips through the other posting lists), for a phrase its rarest word, summed over the alternatives;
    /// an alternative with no required lexeme (only exclusions) reads every incident.
    /// </summary>
    /// <param name="lexemesOf">The lexemes PostgreSQL makes of each word of the query (none for a stop word).</param>
    public double TextIndexRows(WebSearchQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>> lexemesOf)
    {
        var share = 0.0;
        foreach (var alternative in query.Alternatives)
        {
            var rarest = 1.0;
            foreach (var term in alternative.Where(t => !t.Negated))
            {
                foreach (var word in term.Words)
                {
                    foreach (var lexeme in lexemesOf.TryGetValue(word, out var lexemes) ? lexemes : [])
                    {
                        rarest = Math.Min(rarest, FrequencyOf(lexeme));
                    }
                }
            }

            share += rarest;
        }

        return Math.Min(1.0, share) * Rows;
    }
}

using System.Data.Common;
using System.Text.Json;
using Footage.Data;

namespace Footage.Metadata.Search.Unified;

/// <summary>
/// Chooses, for a search on PostgreSQL, how each statement reaches the entries matching its text: through the text
/// index, newest first, or through the filters' indexes (<see cref="UnifiedTextAccess"/>). PostgreSQL's own estimates go wrong both ways here: it multiplies the
/// selectivities of <c>@@ q</c> and <c>@@ top</c> (the same words, the second restricted to weight A) as if independent,
/// so for a word in 1 % of the entries it expects a few hundred rows, reads 50 000 through the text index and sorts
/// them where a walk newest first would stop after 7 000; and for a phrase of two common words with a camera it ANDs
/// two posting lists of a million entries each before the camera's 16 000 (docs/benchmarks.md); told that the text
/// test is not for the text index, it guesses a third of the entries pass it and walks newest first through five
/// million notes rather than read the camera's. So the text index's work is estimated from the word frequencies of
/// ANALYZE (<see cref="SearchEntryTextStatistics"/>), the filters' from PostgreSQL's plan for the filters alone
/// (<c>EXPLAIN</c>, with the same bound values), the walk's from both, and the cheapest is chosen, in entries read
/// from the table.
/// </summary>
public sealed class UnifiedSearchPlanner(
    SearchEntryTextStatistics statistics,
    double indexEntryShare = UnifiedSearchPlanner.DefaultIndexEntryShare,
    double minimumTextWork = UnifiedSearchPlanner.DefaultMinimumTextWork)
{
    /// <summary>
    /// What an entry the text index hands over costs against one read from the table and checked: an eighth, as for
    /// incidents (<see cref="IncidentSearchPlanner.DefaultFilterRowCost"/>).
    /// </summary>
    public const double DefaultIndexEntryShare = 1.0 / IncidentSearchPlanner.DefaultFilterRowCost;

    /// <summary>Below this much work of the text index (a few ms) there is nothing to win: the text index, without asking more.</summary>
    public const double DefaultMinimumTextWork = 10_000;

    private readonly LexemeCache _lexemes = new("footage_search");

    public async Task<UnifiedSearchPlanChoice> ChooseAsync(DbConnection connection, UnifiedSearchQuery query, IReadOnlyList<SearchKind> kinds,
        SearchExpression expression, CancellationToken cancellationToken)
    {
        if (expression.PositiveTerms.Count == 0)
        {
            return UnifiedSearchPlanChoice.Default;
        }

        var known = await statistics.GetAsync(connection, cancellationToken);
        if (known.IsEmpty)
        {
            return UnifiedSearchPlanChoice.Default;
        }

        var words = expression.Alternatives.SelectMany(a => a).SelectMany(t => t.Forms).SelectMany(f => f.Words);
        var lexemes = await _lexemes.GetAsync(connection, words, cancellationToken);
        var estimate = new TextEstimate(known, lexemes);
        var work = estimate.IndexWork(expression) * known.Rows;
        var matches = estimate.MatchingShare(expression) * known.Rows;
        if (work < minimumTextWork)
        {
            return UnifiedSearchPlanChoice.Default with { TextWork = work, Matches = matches };
        }

        await using var explain = connection.CreateCommand();
        var filters = UnifiedFilters.Build(query, kinds, PostgresDialect.Instance, explain);
        explain.CommandText = $"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_entries e WHERE {filters}";
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(cancellationToken))!);
        var root = PlanRows.Root(plan);
        var read = PlanRows.Read(root, "search_entries", known.Rows);
        var kept = root.GetProperty("Plan Rows").GetDouble();
        var walked = Walked(query.Offset + query.Limit + 1, matches, kept, known.Rows);
        var (top, ranked) = Choose(work, matches, read, kept, walked, known.Rows, indexEntryShare);
        return new UnifiedSearchPlanChoice(top, ranked, work, matches, read, kept, walked);
    }

    /// <summary>
    /// About how many entries a walk newest first reads before it has <paramref name="wanted"/> that match the text and
    /// pass the filters, taking the two as independent; every entry when none is expected.
    /// </summary>
    public static double Walked(double wanted, double matches, double kept, double rows)
    {
        var share = rows > 0 ? matches / rows * (kept / rows) : 0;
        return share > 0 ? Math.Min(rows, wanted / share) : rows;
    }

    /// <summary>
    /// The text index costs its work (a share of an entry read each) plus the entries it leaves to read from the table
    /// (those matching and passing the filters); reading the filters' entries costs what the filters' plan reads (every
    /// entry when no index serves them); the page of the highest rank (read newest first) may also walk, for as long as
    /// the walk is. The cheapest wins.
    /// </summary>
    public static (UnifiedTextAccess Top, UnifiedTextAccess Ranked) Choose(double work, double matches, double read, double kept, double walked, double rows,
        double indexEntryShare = DefaultIndexEntryShare)
    {
        var text = work * indexEntryShare + (rows > 0 ? matches * kept / rows : matches);
        var ranked = read < text ? UnifiedTextAccess.Filters : UnifiedTextAccess.TextIndex;
        var top = walked < Math.Min(read, text) ? UnifiedTextAccess.NewestFirst : ranked;
        return (top, ranked);
    }

    /// <summary>Shares of the entries from the word frequencies of ANALYZE, as the text index sees a search expression.</summary>
    private sealed class TextEstimate(TextStatistics known, IReadOnlyDictionary<string, IReadOnlyList<string>> lexemes)
    {
        /// <summary>
        /// The entries the text index goes through, as a share: for each alternative its rarest positive term (the index
        /// intersects the others' lists with it), a term's forms added up, a phrase counted by its rarest word.
        /// </summary>
        public double IndexWork(SearchExpression expression) =>
            Math.Min(1, expression.Alternatives.Sum(a => a.Where(t => !t.Negated).Select(t => Math.Min(1, t.Forms.Sum(f => f.Words.Select((w, i) =>
                Share(w, f.Prefix && i == f.Words.Count - 1)).DefaultIfEmpty(0).Min()))).DefaultIfEmpty(0).Min()));

        /// <summary>The entries matching, as a share, taking words as independent (a phrase's words all occur).</summary>
        public double MatchingShare(SearchExpression expression) =>
            Math.Min(1, expression.Alternatives.Sum(a => a.Aggregate(1.0, (share, term) =>
            {
                var missing = term.Forms.Aggregate(1.0, (none, f) =>
                    none * (1 - f.Words.Select((w, i) => Share(w, f.Prefix && i == f.Words.Count - 1)).Aggregate(1.0, (all, s) => all * s)));
                return share * (term.Negated ? missing : 1 - missing);
            })));

        /// <summary>The share of entries holding a word (a stop word is in none, and limits nothing: every entry).</summary>
        private double Share(string word, bool prefix)
        {
            var forms = lexemes.TryGetValue(word, out var found) ? found : [];
            if (forms.Count == 0)
            {
                return prefix ? Prefixed(word) : 1;
            }

            return forms.Select(l => prefix ? Prefixed(l) : known.FrequencyOf(l)).Aggregate(1.0, (all, s) => all * s);
        }

        /// <summary>Every listed lexeme that starts so, plus the most an unlisted one may hold.</summary>
        private double Prefixed(string start) =>
            Math.Min(1, known.Frequencies.Where(f => f.Key.StartsWith(start, StringComparison.Ordinal)).Sum(f => f.Value) + known.UnlistedFrequency);
    }
}

using System.Data.Common;
using System.Text.Json;
using Footage.Data;

namespace Footage.Metadata.Search;

/// <summary>
/// Chooses between <see cref="IncidentSearchPlan.TextIndex"/> and <see cref="IncidentSearchPlan.FilterWalk"/> for a
/// full-text search on PostgreSQL. PostgreSQL's own planner underrates the cost of a GIN text index scan that returns
/// many rows: for a word in 5 to 50 % of incidents it ANDs the bitmap of all those incidents with a narrow filter
/// index, which takes two to six times as long as reading the filtered incidents and checking their text
/// (docs/benchmarks.md). So the text index's work is estimated from the word frequencies of ANALYZE
/// (<see cref="IncidentTextStatistics"/>), the walk's from PostgreSQL's plan for the filters alone (<c>EXPLAIN</c>,
/// with the same bound values: how many incidents it reads from the table), and the cheaper is chosen.
/// </summary>
public sealed class IncidentSearchPlanner(
    IncidentTextStatistics statistics,
    double filterRowCost = IncidentSearchPlanner.DefaultFilterRowCost,
    double minimumTextRows = IncidentSearchPlanner.DefaultMinimumTextRows)
{
    /// <summary>
    /// How many incidents returned by the text index cost as much as reading one more incident from the table and
    /// checking its text. Measured over 1 M incidents: walking 10 000 incidents in shared buffers takes 19 to 22 ms
    /// whatever the word, and the text index breaks even with that at 6 to 7 matches per incident walked. A page that
    /// has to come from disk costs 55 µs or more, which no estimate here sees: 8 keeps the walk to clear wins.
    /// </summary>
    public const double DefaultFilterRowCost = 8;

    /// <summary>
    /// Below this many incidents matching the text (about 2 ms of the text index's work) a walk could save less than
    /// asking PostgreSQL for the filters' plan costs, so the text index is used without asking.
    /// </summary>
    public const double DefaultMinimumTextRows = 10_000;

    // the lexemes of a word never change ('english' configuration)
    private readonly LexemeCache _lexemes = new("english");

    public async Task<IncidentSearchPlanChoice> ChooseAsync(DbConnection connection, IncidentSearchQuery query, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query.Text))
        {
            return IncidentSearchPlanChoice.Default;
        }

        var parsed = WebSearchQuery.Parse(query.Text);
        var words = parsed.Alternatives.SelectMany(a => a).SelectMany(t => t.Words).Distinct(StringComparer.Ordinal).ToArray();
        // PostgreSQL's plan for the filters alone, with the same bound values, asked for only when it can matter
        await using var explain = connection.CreateCommand();
        var filters = IncidentFilters.Build(query, PostgresDialect.Instance, explain);
        if (words.Length == 0 || filters == IncidentFilters.None)
        {
            return IncidentSearchPlanChoice.Default;
        }

        var known = await statistics.GetAsync(connection, cancellationToken);
        if (known.IsEmpty)
        {
            return IncidentSearchPlanChoice.Default;
        }

        // a word seen for the first time costs one round trip, which also brings the filters' plan in case it is needed
        var lexemes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var unknown = _lexemes.Known(words, lexemes);
        var explainSql = $"EXPLAIN (FORMAT JSON) SELECT 1 FROM incidents WHERE {filters}";
        double? filterRows = null;
        if (unknown.Length > 0)
        {
            explain.CommandText = $"{_lexemes.LookupSql};\n{explainSql}";
            explain.With("words", unknown);
            var learned = new List<(string, string[])>();
            await using (var reader = await explain.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    learned.Add((reader.GetString(0), await reader.GetFieldValueAsync<string[]>(1, cancellationToken)));
                    lexemes[learned[^1].Item1] = learned[^1].Item2;
                }

                await reader.NextResultAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                filterRows = RowsRead(reader.GetString(0), known.Rows);
            }

            _lexemes.Remember(learned);
        }

        var textRows = known.MatchingRows(parsed, lexemes);
        if (textRows < minimumTextRows)
        {
            return new IncidentSearchPlanChoice(IncidentSearchPlan.TextIndex, textRows, 0);
        }

        if (filterRows is null)
        {
            explain.CommandText = explainSql;
            filterRows = RowsRead((string)(await explain.ExecuteScalarAsync(cancellationToken))!, known.Rows);
        }

        return new IncidentSearchPlanChoice(Choose(textRows, filterRows.Value, known.Rows, filterRowCost), textRows, filterRows.Value);
    }

    private static double RowsRead(string explainJson, double tableRows)
    {
        using var plan = JsonDocument.Parse(explainJson);
        return RowsRead(PlanRows.Root(plan), tableRows);
    }

    /// <summary>
    /// Walks the filters when the incidents it reads beyond those the text index path reads too (those that also match
    /// the text) cost less than the incidents the text index returns.
    /// </summary>
    public static IncidentSearchPlan Choose(double textRows, double filterRows, double rows, double filterRowCost = DefaultFilterRowCost)
    {
        var share = rows > 0 ? Math.Clamp(textRows / rows, 0, 1) : 1;
        return filterRows * (1 - share) * filterRowCost < textRows ? IncidentSearchPlan.FilterWalk : IncidentSearchPlan.TextIndex;
    }

    /// <summary>
    /// How many incidents a plan for the filters reads from the table: what its index scans return (a bitmap scan's
    /// bitmap, before the conditions checked on each row), or every incident for a sequential scan.
    /// </summary>
    internal static double RowsRead(JsonElement node, double tableRows) => PlanRows.Read(node, "incidents", tableRows);
}

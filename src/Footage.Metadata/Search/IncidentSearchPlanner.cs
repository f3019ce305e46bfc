using System.Data.Common;
using System.Text.Json;
using Footage.Data;

namespace Footage.Metadata.Search;

/// <summary>
/// Chooses between <see cref="IncidentSearchPlan.TextIndex"/> and <see cref="IncidentSearchPlan.FilterWalk"/> for a
/// full-text search on PostgreSQL. PostgreSQL's own planner underrates the cost of reading a long posting list from
/// the GIN text index: for a word in 5 to 50 % of incidents it ANDs that list with a narrow filter index, which takes
/// two to six times as long as reading the filtered incidents and checking their text (docs/benchmarks.md). So the
/// text index's work is estimated from the word frequencies of ANALYZE (<see cref="IncidentTextStatistics"/>), the
/// walk's from PostgreSQL's plan for the filters alone (<c>EXPLAIN</c>, with the same bound values: how many
/// incidents it reads from the table), and the filters are walked when that is clearly the cheaper.
/// </summary>
public sealed class IncidentSearchPlanner(IncidentTextStatistics statistics, double filterRowCost = IncidentSearchPlanner.DefaultFilterRowCost)
{
    /// <summary>
    /// How many entries of a GIN posting list cost as much as reading one more incident from the table and checking
    /// its text. Measured over 1 M incidents: 2 µs for an incident in shared buffers, 15 µs or more for one that is
    /// not, against 0.2 µs for an entry; the walk is chosen only where it wins unless most of its pages are cold.
    /// </summary>
    public const double DefaultFilterRowCost = 15;

    public async Task<IncidentSearchPlanChoice> ChooseAsync(DbConnection connection, IncidentSearchQuery query, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query.Text))
        {
            return IncidentSearchPlanChoice.Default;
        }

        var parsed = WebSearchQuery.Parse(query.Text);
        var words = parsed.Alternatives.SelectMany(a => a).SelectMany(t => t.Words).Distinct(StringComparer.Ordinal).ToArray();
        if (words.Length == 0)
        {
            return IncidentSearchPlanChoice.Default;
        }

        var known = await statistics.GetAsync(connection, cancellationToken);
        if (known.IsEmpty)
        {
            return IncidentSearchPlanChoice.Default;
        }

        // one round trip: the lexemes PostgreSQL makes of the words, and its plan for the filters alone
        await using var command = connection.CreateCommand();
        var filters = IncidentFilters.Build(query, PostgresDialect.Instance, command);
        if (filters == IncidentFilters.None)
        {
            return IncidentSearchPlanChoice.Default;
        }

        command.CommandText =
            $"""
             SELECT t.word, l.lexeme FROM unnest(@words) AS t(word) CROSS JOIN LATERAL unnest(to_tsvector('english', t.word)) AS l;
             EXPLAIN (FORMAT JSON) SELECT 1 FROM incidents WHERE {filters}
             """;
        command.With("words", words);
        var lexemes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        double filterRows;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var word = reader.GetString(0);
                lexemes[word] = [.. lexemes.GetValueOrDefault(word) ?? [], reader.GetString(1)];
            }

            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            using var plan = JsonDocument.Parse(reader.GetString(0));
            filterRows = RowsRead(plan.RootElement[0].GetProperty("Plan"), known.Rows);
        }

        var textRows = known.TextIndexRows(parsed, lexemes);
        return new IncidentSearchPlanChoice(Choose(textRows, filterRows, known.Rows, filterRowCost), textRows, filterRows);
    }

    /// <summary>
    /// Walks the filters when the incidents it reads beyond those the text index path reads too (those that also hold
    /// the words) cost less than the text index's entries.
    /// </summary>
    public static IncidentSearchPlan Choose(double textIndexRows, double filterRows, double rows, double filterRowCost = DefaultFilterRowCost)
    {
        var share = rows > 0 ? Math.Clamp(textIndexRows / rows, 0, 1) : 1;
        return filterRows * (1 - share) * filterRowCost < textIndexRows ? IncidentSearchPlan.FilterWalk : IncidentSearchPlan.TextIndex;
    }

    /// <summary>
    /// How many incidents a plan for the filters reads from the table: what its index scans return (a bitmap scan's
    /// bitmap, before the conditions checked on each row), or every incident for a sequential scan.
    /// </summary>
    internal static double RowsRead(JsonElement node, double tableRows)
    {
        var read = 0.0;
        if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == "incidents")
        {
            read = node.GetProperty("Node Type").GetString() switch
            {
                "Seq Scan" => tableRows,
                "Bitmap Heap Scan" => node.GetProperty("Plans").EnumerateArray().Max(p => p.GetProperty("Plan Rows").GetDouble()),
                _ => node.GetProperty("Plan Rows").GetDouble(),
            };
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                read = Math.Max(read, RowsRead(child, tableRows));
            }
        }

        return read;
    }
}

using System.Data.Common;
using System.Text;
using Footage.Data;
using Footage.Metadata.Incidents;

namespace Footage.Metadata.Search;

/// <summary>
/// Incident search on either database. PostgreSQL: the spec's <c>search_vector</c> (title weight A above
/// description weight B) with <c>websearch_to_tsquery</c> and <c>ts_rank</c>, snippets by <c>ts_headline</c>, the text
/// condition written for the plan <see cref="IncidentSearchPlanner"/> chooses.
/// SQLite: the same parsed query run as FTS5 phrases, ranked by <c>bm25</c> with title weighted 10 to 1 over
/// description, snippets by <c>highlight</c>/<c>snippet</c>. Results are ordered by rank, then newest first,
/// then id, so pages are stable. Every value is a bound parameter.
/// </summary>
public sealed class IncidentSearch(IDatabase database, IncidentSearchPlanner planner)
{
    private const string TitleHeadline = "StartSel=\uE000, StopSel=\uE001, HighlightAll=true";
    private const string DescriptionHeadline = "StartSel=\uE000, StopSel=\uE001, MaxWords=30, MinWords=10, MaxFragments=2";

    /// <summary>One page, plus whether more follow.</summary>
    public Task<(IReadOnlyList<IncidentHit> Items, bool More)> SearchAsync(IncidentSearchQuery query, CancellationToken cancellationToken) =>
        SearchAsync(query, plan: null, cancellationToken);

    /// <summary>
    /// One page with the PostgreSQL plan given (null: chosen by <see cref="IncidentSearchPlanner"/>); for tests and
    /// the benchmark, which compare the plans. The results are the same whichever plan runs.
    /// </summary>
    public async Task<(IReadOnlyList<IncidentHit> Items, bool More)> SearchAsync(IncidentSearchQuery query, IncidentSearchPlan? plan, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text;
        if (d.IsPostgres && text is not null)
        {
            plan ??= (await planner.ChooseAsync(connection, query, cancellationToken)).Plan;
        }

        await using var command = connection.CreateCommand();
        if (d.IsPostgres && text is not null)
        {
            PreparePostgresText(command, query, plan ?? IncidentSearchPlan.TextIndex);
            return await ReadAsync(command, d, withRank: true, query.Limit, cancellationToken);
        }

        var filters = IncidentFilters.Build(query, d, command);
        command.With("limit", query.Limit + 1).With("offset", query.Offset);
        if (text is null)
        {
            command.CommandText =
                $"SELECT {IncidentSql.Columns} FROM incidents WHERE {filters} ORDER BY incidents.created_at DESC, incidents.id LIMIT @limit OFFSET @offset";
            return await ReadAsync(command, d, withRank: false, query.Limit, cancellationToken);
        }

        var parsed = WebSearchQuery.Parse(text);
        if (parsed.IsEmpty)
        {
            return ([], false);
        }

        var match = new StringBuilder();
        var n = 0;
        foreach (var alternative in parsed.Alternatives)
        {
            match.Append(match.Length == 0 ? "(" : " OR (");
            var first = true;
            foreach (var term in alternative)
            {
                match.Append(first ? "" : " AND ")
                    .Append($"incidents.fts_rowid {(term.Negated ? "NOT IN" : "IN")} (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH @t{n})");
                command.With($"t{n}", term.ToFts5());
                n++;
                first = false;
            }

            match.Append(')');
        }

        var positive = parsed.PositiveTerms.Select(t => t.ToFts5()).Distinct().ToArray();
        string rankJoin = "", rank = "0.0", titleHighlight = "NULL", descriptionHighlight = "NULL";
        if (positive.Length > 0)
        {
            rankJoin =
                """
                LEFT JOIN (
                    SELECT rowid AS rid, bm25(incidents_fts, 10.0, 1.0) AS score,
                        highlight(incidents_fts, 0, @open, @close) AS title_hl,
                        snippet(incidents_fts, 1, @open, @close, ' ... ', 24) AS description_hl
                    FROM incidents_fts WHERE incidents_fts MATCH @rank) m ON m.rid = incidents.fts_rowid
                """;
            command.With("rank", string.Join(" OR ", positive)).With("open", Highlights.Open).With("close", Highlights.Close);
            // bm25 is negative, lower is better; report it as PostgreSQL does, higher is better
            rank = "-COALESCE(m.score, 0.0)";
            titleHighlight = "m.title_hl";
            descriptionHighlight = "m.description_hl";
        }

        command.CommandText =
            $"""
             SELECT {IncidentSql.Columns}, {rank} AS rank, {titleHighlight}, {descriptionHighlight}
             FROM incidents {rankJoin}
             WHERE ({match}) AND {filters}
             ORDER BY rank DESC, incidents.created_at DESC, incidents.id
             LIMIT @limit OFFSET @offset
             """;
        return await ReadAsync(command, d, withRank: true, query.Limit, cancellationToken);
    }

    /// <summary>The PostgreSQL full-text query with its values bound; the plans differ only in how the text condition is written.</summary>
    internal static void PreparePostgresText(DbCommand command, IncidentSearchQuery query, IncidentSearchPlan plan)
    {
        var filters = IncidentFilters.Build(query, PostgresDialect.Instance, command);
        command.With("limit", query.Limit + 1).With("offset", query.Offset)
            .With("q", query.Text).With("title_headline", TitleHeadline).With("description_headline", DescriptionHeadline);
        // ts_match_vq is the function behind @@: called by name it means the same, but the planner cannot match a
        // function call to the GIN index, so it reads the incidents through the filters' indexes and checks each
        var match = plan == IncidentSearchPlan.FilterWalk ? "ts_match_vq(incidents.search_vector, q)" : "incidents.search_vector @@ q";
        var outer = IncidentSql.Columns.Replace("incidents.", "sub.", StringComparison.Ordinal);
        command.CommandText =
            $"""
             SELECT {outer}, sub.rank,
                 ts_headline('english', sub.title, sub.q, @title_headline),
                 ts_headline('english', COALESCE(sub.description, ''), sub.q, @description_headline)
             FROM (
                 SELECT {IncidentSql.Columns}, ts_rank(incidents.search_vector, q) AS rank, q
                 FROM incidents, websearch_to_tsquery('english', @q) AS q
                 WHERE {match} AND {filters}
                 ORDER BY rank DESC, incidents.created_at DESC, incidents.id
                 LIMIT @limit OFFSET @offset) sub
             ORDER BY sub.rank DESC, sub.created_at DESC, sub.id
             """;
    }

    private static async Task<(IReadOnlyList<IncidentHit>, bool)> ReadAsync(DbCommand command, SqlDialect d, bool withRank, int limit, CancellationToken cancellationToken)
    {
        var hits = new List<IncidentHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var incident = IncidentSql.Read(reader, d);
            hits.Add(withRank
                ? new IncidentHit(incident, await reader.IsDBNullAsync(14, cancellationToken) ? 0 : Convert.ToDouble(reader.GetValue(14), System.Globalization.CultureInfo.InvariantCulture),
                    reader.GetNullableString(15), reader.GetNullableString(16))
                : new IncidentHit(incident, null, null, null));
        }

        var more = hits.Count > limit;
        if (more)
        {
            hits.RemoveAt(hits.Count - 1);
        }

        return (hits, more);
    }
}

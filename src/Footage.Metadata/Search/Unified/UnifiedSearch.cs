using System.Data.Common;
using System.Globalization;
using System.Text;
using Footage.Data;

namespace Footage.Metadata.Search.Unified;

/// <summary>
/// One search over incidents, annotations, tags and segments (the index <c>search_entries</c>): on PostgreSQL its
/// <c>tsvector</c> with <c>to_tsquery('footage_search', ...)</c>, on SQLite the FTS5 table <c>search_fts</c>, both from the
/// same <see cref="SearchExpression"/>. Ranked the same way on both (see <see cref="SearchHit"/>): the rank is computed
/// from which field each word is in, not from the engines' own scores, so the two databases give the same order; ties
/// go to the latest footage, then kind and id. Every value is a bound parameter.
/// </summary>
public sealed class UnifiedSearch(IDatabase database, UnifiedSearchPlanner planner)
{
    public const int TitleWeight = 10;
    public const int BodyWeight = 4;
    public const int ExtraWeight = 2;

    private static readonly (string Postgres, string Fts5, int Weight)[] Fields = [("A", "a", TitleWeight), ("B", "b", BodyWeight), ("C", "c", ExtraWeight)];

    /// <summary>One page, plus whether more follow.</summary>
    public async Task<(IReadOnlyList<SearchHit> Items, bool More)> SearchAsync(UnifiedSearchQuery query, CancellationToken cancellationToken) =>
        (await SearchAsync(query, UnifiedSearchPlan.TagsApart, null, cancellationToken)).Page;

    /// <summary>
    /// One page by the plan given, its text found as <paramref name="access"/> says (null: as the planner chooses on
    /// PostgreSQL), and the choice made: every plan and access return the same page (the tests and the bench compare them).
    /// </summary>
    internal async Task<((IReadOnlyList<SearchHit> Items, bool More) Page, UnifiedSearchPlanChoice Choice)> SearchAsync(UnifiedSearchQuery query, UnifiedSearchPlan plan,
        UnifiedTextAccess? access, CancellationToken cancellationToken)
    {
        var d = database.Dialect;
        var expression = string.IsNullOrWhiteSpace(query.Text) ? null : SearchExpression.Parse(query.Text);
        if (expression is { IsEmpty: true } || query.Kinds.Count == 0)
        {
            return (([], false), UnifiedSearchPlanChoice.Default);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var kinds = plan == UnifiedSearchPlan.OneStatement ? query.Kinds.Distinct().ToArray() : query.Kinds.Where(k => k != SearchKind.Tag).Distinct().ToArray();
        var choice = access is { } forced ? UnifiedSearchPlanChoice.Forced(forced)
            : d.IsPostgres && expression is not null && kinds.Length > 0 ? await planner.ChooseAsync(connection, query, kinds, expression, cancellationToken)
            : UnifiedSearchPlanChoice.Default;
        var rows = plan == UnifiedSearchPlan.OneStatement
            ? await OneStatementAsync(connection, d, query, kinds, expression, choice, cancellationToken)
            : await TagsApartAsync(connection, d, query, kinds, expression, choice, cancellationToken);
        var more = rows.Count > query.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var details = await SearchHitReader.ReadAsync(connection, d, rows.Select(r => (r.Kind, r.Id, r.Doc)).ToArray(), expression, cancellationToken);
        var hits = rows.Select(r =>
        {
            var found = details.GetValueOrDefault((r.Kind, r.Id));
            var cameras = query.VisibleCameraIds is { } visible ? r.CameraIds.Where(visible.Contains).ToArray() : r.CameraIds;
            return new SearchHit(r.Kind, r.Id, r.Rank, cameras, r.Start, r.End, found?.Label, found?.Snippet, found?.Details ?? new SearchHitDetails());
        }).ToArray();
        return ((hits, more), choice);
    }

    /// <summary>The page (plus one row) from one statement over every kind wanted: the form before tags were searched apart.</summary>
    private static async Task<List<Row>> OneStatementAsync(DbConnection connection, SqlDialect d, UnifiedSearchQuery query, SearchKind[] kinds, SearchExpression? expression,
        UnifiedSearchPlanChoice choice, CancellationToken cancellationToken)
    {
        if (d.IsPostgres && expression is { PositiveTerms.Count: > 0 } && await TopRankedAsync(connection, query, kinds, expression, choice.Top, cancellationToken) is { } top)
        {
            return top;
        }

        return await RankedAsync(connection, d, query, kinds, expression, choice.Ranked, query.Offset, query.Limit + 1, cancellationToken);
    }

    /// <summary>
    /// The page (plus one row) with tags searched in a statement of their own and merged into the ranked order. Tags
    /// (a few thousand at most) reach their cameras and times through the segments that carry them; the other kinds carry
    /// theirs in the index, so without tags among them the camera filter is one condition that PostgreSQL combines with
    /// the text index. Among equal ranks a tag comes after every other kind (its start is null, and 'tag' sorts last),
    /// so the merge needs the ranks only, and each statement is in the order of the whole.
    /// </summary>
    private static async Task<List<Row>> TagsApartAsync(DbConnection connection, SqlDialect d, UnifiedSearchQuery query, SearchKind[] others, SearchExpression? expression,
        UnifiedSearchPlanChoice choice, CancellationToken cancellationToken)
    {
        if (others.Length > 0 && d.IsPostgres && expression is { PositiveTerms.Count: > 0 } && await TopRankedAsync(connection, query, others, expression, choice.Top, cancellationToken) is { } top)
        {
            // the page is all of the highest rank, which a tag can tie but never pass
            return top;
        }

        var tags = query.Kinds.Contains(SearchKind.Tag)
            ? await RankedAsync(connection, d, query, [SearchKind.Tag], expression, UnifiedTextAccess.TextIndex, 0, query.Offset + query.Limit + 1, cancellationToken)
            : [];
        if (others.Length == 0 || tags.Count == 0)
        {
            return others.Length == 0 ? [.. tags.Skip(query.Offset)] : await RankedAsync(connection, d, query, others, expression, choice.Ranked, query.Offset, query.Limit + 1, cancellationToken);
        }

        // the others from the first that can fall on the page: at most every tag fetched comes before it
        var first = Math.Max(0, query.Offset - tags.Count);
        var rows = await RankedAsync(connection, d, query, others, expression, choice.Ranked, first, query.Limit + 1 + Math.Min(query.Offset, tags.Count), cancellationToken);
        var position = 0;
        if (first > 0)
        {
            if (rows.Count == 0)
            {
                // fewer others than the offset (less the tags, all fetched then): nothing is left for the page
                return [];
            }

            // every tag ranked above the first row comes before it (and all are fetched: the tags ran out before the page)
            var above = tags.TakeWhile(t => t.Rank > rows[0].Rank).Count();
            tags.RemoveRange(0, above);
            position = first + above;
        }

        return [.. Merge(rows, tags).Skip(query.Offset - position).Take(query.Limit + 1)];
    }

    /// <summary>Two lists in the ranked order into one; at equal rank the first list's rows come first.</summary>
    private static IEnumerable<Row> Merge(List<Row> first, List<Row> second)
    {
        int i = 0, j = 0;
        while (i < first.Count || j < second.Count)
        {
            yield return j == second.Count || (i < first.Count && first[i].Rank >= second[j].Rank) ? first[i++] : second[j++];
        }
    }

    /// <summary>Rows of the kinds given in the ranked order, from a row number, as many as asked, ranked for every entry that matches.</summary>
    private static async Task<List<Row>> RankedAsync(DbConnection connection, SqlDialect d, UnifiedSearchQuery query, IReadOnlyList<SearchKind> kinds,
        SearchExpression? expression, UnifiedTextAccess access, int offset, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        await using (var command = connection.CreateCommand())
        {
            var filters = UnifiedFilters.Build(query, kinds, d, command);
            command.With("limit", limit).With("offset", offset);
            var (from, match, rank) = d.IsPostgres ? PostgresText(expression, access, command) : SqliteText(expression, command);
            var (source, where) = d.IsPostgres ? Source(access, filters) : ("search_entries e", filters);
            command.CommandText =
                $"""
                 SELECT e.kind, e.entry_id, e.camera_ids, e.start_time, e.end_time, {rank} AS rank, {(d.IsPostgres ? "0" : "e.doc")}
                 FROM {source}{from}
                 WHERE {match} AND {where}
                 ORDER BY rank DESC, e.start_time DESC NULLS LAST, e.kind, e.entry_id
                 LIMIT @limit OFFSET @offset
                 """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!SearchKinds.TryParse(reader.GetString(0), out var kind))
                {
                    continue;
                }

                rows.Add(new Row(kind, d.ReadId(reader, 1), d.ReadIds(reader, 2), d.ReadNullableTime(reader, 3), d.ReadNullableTime(reader, 4),
                    Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture), reader.GetInt64(6)));
            }
        }

        return rows;
    }

    /// <summary>
    /// PostgreSQL, when the whole page has the highest rank there is: the entries where every word of the search is in
    /// a field of weight A, newest first, which PostgreSQL may read by walking <c>idx_search_entries_start</c> and stop
    /// after a page, instead of ranking every entry that matches a common word. They are exactly the first entries of
    /// the ranked order, so the page is the same; null when there are fewer than a page and one (then every match is ranked).
    /// </summary>
    private static async Task<List<Row>?> TopRankedAsync(DbConnection connection, UnifiedSearchQuery query, IReadOnlyList<SearchKind> kinds, SearchExpression expression,
        UnifiedTextAccess access, CancellationToken cancellationToken)
    {
        var terms = expression.PositiveTerms;
        await using var command = connection.CreateCommand();
        var filters = UnifiedFilters.Build(query, kinds, PostgresDialect.Instance, command);
        command.With("limit", query.Limit + 1).With("offset", query.Offset).With("q", expression.ToTsQuery())
            .With("top", string.Join(" & ", terms.Select(t => t.ToTsQuery(Fields[0].Postgres))));
        var (source, where) = Source(access, filters);
        command.CommandText =
            $"""
             SELECT e.kind, e.entry_id, e.camera_ids, e.start_time, e.end_time
             FROM {source}, to_tsquery('footage_search', @q) AS q, to_tsquery('footage_search', @top) AS top
             WHERE {Matches("q", access)} AND {Matches("top", access)} AND {where}
             ORDER BY e.start_time DESC NULLS LAST, e.kind, e.entry_id
             LIMIT @limit OFFSET @offset
             """;
        var rows = new List<Row>();
        var d = PostgresDialect.Instance;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (SearchKinds.TryParse(reader.GetString(0), out var kind))
            {
                rows.Add(new Row(kind, d.ReadId(reader, 1), d.ReadIds(reader, 2), d.ReadNullableTime(reader, 3), d.ReadNullableTime(reader, 4), TitleWeight * terms.Count, 0));
            }
        }

        return rows.Count > query.Limit ? rows : null;
    }

    /// <summary>The text test in the form that lets PostgreSQL use the text index, or the one that keeps it from it.</summary>
    private static string Matches(string query, UnifiedTextAccess access) =>
        access == UnifiedTextAccess.NewestFirst ? $"ts_match_vq(e.search_vector, {query})" : $"e.search_vector @@ {query}";

    /// <summary>
    /// The entries a statement reads, and the filters left for its WHERE: for <see cref="UnifiedTextAccess.Filters"/> the
    /// filtered entries in a subquery that PostgreSQL plans alone (no condition is pushed into a subquery with OFFSET),
    /// so it reads them through the filters' indexes, never the text index.
    /// </summary>
    private static (string Source, string Where) Source(UnifiedTextAccess access, string filters) =>
        access == UnifiedTextAccess.Filters ? ($"(SELECT * FROM search_entries e WHERE {filters} OFFSET 0) e", "1 = 1") : ("search_entries e", filters);

    private static (string From, string Match, string Rank) PostgresText(SearchExpression? expression, UnifiedTextAccess access, DbCommand command)
    {
        if (expression is null)
        {
            return ("", "1 = 1", "0");
        }

        var from = new StringBuilder(", to_tsquery('footage_search', @q) AS q");
        command.With("q", expression.ToTsQuery());
        var rank = new List<string>();
        var terms = expression.PositiveTerms;
        for (var i = 0; i < terms.Count; i++)
        {
            var cases = new StringBuilder("(CASE");
            foreach (var (weight, _, points) in Fields)
            {
                var name = $"r{i}{weight.ToLowerInvariant()}";
                from.Append($", to_tsquery('footage_search', @{name}) AS {name}");
                command.With(name, terms[i].ToTsQuery(weight));
                cases.Append($" WHEN e.search_vector @@ {name} THEN {points}");
            }

            rank.Add(cases.Append(" ELSE 0 END)").ToString());
        }

        return (from.ToString(), Matches("q", access), rank.Count == 0 ? "0" : string.Join(" + ", rank));
    }

    private static (string From, string Match, string Rank) SqliteText(SearchExpression? expression, DbCommand command)
    {
        if (expression is null)
        {
            return ("", "1 = 1", "0");
        }

        var n = 0;
        string Matching(string fts5)
        {
            var name = $"t{n++}";
            command.With(name, fts5);
            return $"e.doc IN (SELECT rowid FROM search_fts WHERE search_fts MATCH @{name})";
        }

        var match = string.Join(" OR ", expression.Alternatives.Select(a =>
            "(" + string.Join(" AND ", a.Select(t => (t.Negated ? "NOT " : "") + Matching(t.ToFts5()))) + ")"));
        var rank = expression.PositiveTerms.Select(t =>
            "(CASE" + string.Concat(Fields.Select(f => $" WHEN {Matching(t.ToFts5(f.Fts5))} THEN {f.Weight}")) + " ELSE 0 END)").ToList();
        return ("", "(" + match + ")", rank.Count == 0 ? "0" : string.Join(" + ", rank));
    }

    private sealed record Row(SearchKind Kind, Guid Id, IReadOnlyList<Guid> CameraIds, DateTimeOffset? Start, DateTimeOffset? End, int Rank, long Doc);
}

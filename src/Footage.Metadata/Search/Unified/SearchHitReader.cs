using System.Data.Common;
using Footage.Data;

namespace Footage.Metadata.Search.Unified;

/// <summary>
/// What a page of hits shows beyond the index: each item's label and details from its own table, and its snippet.
/// The text's fields (A, B, C) are marked where the search's words are: on SQLite by FTS5's <c>highlight</c> over the
/// indexed text as written; on PostgreSQL by <c>ts_headline</c> over the text as indexed, the marks then moved back onto
/// the text as written (<see cref="Snippets.Transfer"/>), since PostgreSQL's parser would read the written text differently.
/// </summary>
internal static class SearchHitReader
{
    private const string HeadlineOptions = "StartSel=\uE000, StopSel=\uE001, HighlightAll=true";

    public sealed record Found(string? Label, string? Snippet, SearchHitDetails Details);

    public static async Task<Dictionary<(SearchKind, Guid), Found>> ReadAsync(
        DbConnection connection, SqlDialect d, IReadOnlyList<(SearchKind Kind, Guid Id, long Doc)> hits, SearchExpression? expression, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(SearchKind, Guid), Found>();
        if (hits.Count == 0)
        {
            return found;
        }

        var sqliteMarks = d.IsPostgres ? null : await SqliteMarksAsync(connection, hits, expression, cancellationToken);
        foreach (var kind in hits.Select(h => h.Kind).Distinct())
        {
            var ids = hits.Where(h => h.Kind == kind).Select(h => h.Id).ToArray();
            await using var command = connection.CreateCommand();
            command.With("ids", d.Ids(ids));
            var highlight = d.IsPostgres ? expression?.PositiveTsQuery() : null;
            var sql = Sql(kind, d, d.IsPostgres ? "= ANY(@ids)" : "IN (SELECT value FROM json_each(@ids))");
            if (highlight is not null)
            {
                command.With("hl", highlight).With("options", HeadlineOptions);
                // only the first field that holds a word or phrase of the search is marked, which is the one the snippet shows
                // (as FTS5 marks: ts_headline alone would also mark the single words of a phrase that is not there)
                sql = $"""
                       SELECT x.*, w.field, CASE w.field WHEN 1 THEN {Headline("x.a")} WHEN 2 THEN {Headline("x.b")} WHEN 3 THEN {Headline("x.c")} END
                       FROM ({sql}) x CROSS JOIN to_tsquery('footage_search', @hl) AS q
                       CROSS JOIN LATERAL (SELECT CASE WHEN {Holds("x.a")} THEN 1 WHEN {Holds("x.b")} THEN 2 WHEN {Holds("x.c")} THEN 3 END AS field) w
                       """;
            }

            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = d.ReadId(reader, 0);
                var fields = new[] { reader.GetNullableString(5), reader.GetNullableString(6), reader.GetNullableString(7) };
                if (highlight is not null && !await reader.IsDBNullAsync(8, cancellationToken))
                {
                    var field = Convert.ToInt32(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture) - 1;
                    fields[field] = Snippets.Transfer(fields[field]!, reader.GetNullableString(9) ?? fields[field]!);
                }
                else if (sqliteMarks is not null && sqliteMarks.TryGetValue(hits.First(h => h.Kind == kind && h.Id == id).Doc, out var marked))
                {
                    fields = marked;
                }

                found[(kind, id)] = new Found(reader.GetNullableString(1), Snippets.Choose(fields), Details(kind, reader, fields));
            }
        }

        return found;
    }

    private static string Headline(string field) => $"ts_headline('footage_search', footage_search_text({field}), q, @options)";

    private static string Holds(string field) => $"to_tsvector('footage_search', footage_search_text({field})) @@ q";

    private static SearchHitDetails Details(SearchKind kind, DbDataReader reader, string?[] fields) => kind switch
    {
        SearchKind.Incident => new SearchHitDetails(Severity: reader.GetNullableString(2), Status: reader.GetNullableString(3), User: reader.GetNullableString(4)),
        SearchKind.Annotation => new SearchHitDetails(User: reader.GetNullableString(2), SegmentId: reader.IsDBNull(3) ? null : Guid.Parse(reader.GetString(3))),
        SearchKind.Tag => new SearchHitDetails(Category: reader.GetNullableString(2), Color: reader.GetNullableString(3)),
        _ => new SearchHitDetails(Tags: string.IsNullOrEmpty(reader.GetNullableString(4)) ? [] : reader.GetString(4).Split('\n')),
    };

    /// <summary>id, label, three details, and the fields A, B, C as written.</summary>
    private static string Sql(SearchKind kind, SqlDialect d, string ids)
    {
        var pg = d.IsPostgres;
        string Aggregate(string value, string order) => pg ? $"string_agg({value}, ' ' ORDER BY {order})" : $"group_concat({value}, ' ' ORDER BY {order})";
        return kind switch
        {
            SearchKind.Incident =>
                $"SELECT id, title, severity, status, created_by, title AS a, description AS b, {(pg ? "array_to_string(tags, ' ')" : "(SELECT group_concat(value, ' ') FROM json_each(tags))")} AS c FROM incidents WHERE id {ids}",
            SearchKind.Annotation =>
                $"SELECT id, type, user_id, {(pg ? "segment_id::text" : "segment_id")}, NULL, content AS a, NULL AS b, NULL AS c FROM annotations WHERE id {ids}",
            SearchKind.Tag =>
                $"SELECT id, name, category, color, NULL, name AS a, category AS b, NULL AS c FROM tags WHERE id {ids}",
            _ =>
                $"""
                 SELECT s.id, (SELECT {(pg ? "string_agg(t.name, ', ' ORDER BY t.name)" : "group_concat(t.name, ', ' ORDER BY t.name)")} FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.segment_id = s.id),
                     NULL, NULL,
                     (SELECT {(pg ? "string_agg(t.name, E'\\n' ORDER BY t.name)" : "group_concat(t.name, char(10) ORDER BY t.name)")} FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.segment_id = s.id),
                     (SELECT {Aggregate("t.name", "t.name")} FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.segment_id = s.id) AS a,
                     (SELECT {Aggregate("t.category", "t.name")} FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.segment_id = s.id) AS b,
                     (SELECT {Aggregate("an.content", "an.\"timestamp\", an.id")} FROM annotations an WHERE an.segment_id = s.id) AS c
                 FROM segments s WHERE s.id {ids}
                 """,
        };
    }

    /// <summary>SQLite: the fields of each entry as indexed, with FTS5's marks where the search's words are.</summary>
    private static async Task<Dictionary<long, string?[]>> SqliteMarksAsync(
        DbConnection connection, IReadOnlyList<(SearchKind Kind, Guid Id, long Doc)> hits, SearchExpression? expression, CancellationToken cancellationToken)
    {
        var marks = new Dictionary<long, string?[]>();
        var query = expression?.PositiveFts5();
        if (query is null)
        {
            return marks;
        }

        await using var command = connection.CreateCommand();
        command.With("hl", query).With("open", Highlights.Open).With("close", Highlights.Close)
            .With("docs", System.Text.Json.JsonSerializer.Serialize(hits.Select(h => h.Doc)));
        command.CommandText =
            """
            SELECT rowid, highlight(search_fts, 0, @open, @close), highlight(search_fts, 1, @open, @close), highlight(search_fts, 2, @open, @close)
            FROM search_fts WHERE search_fts MATCH @hl AND rowid IN (SELECT value FROM json_each(@docs))
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            marks[reader.GetInt64(0)] = [reader.GetNullableString(1), reader.GetNullableString(2), reader.GetNullableString(3)];
        }

        return marks;
    }
}

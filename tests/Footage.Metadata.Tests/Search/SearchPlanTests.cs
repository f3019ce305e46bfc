using System.Data.Common;
using Footage.Data;
using Footage.Data.Migrations;
using Footage.Metadata.Incidents;
using Footage.Metadata.Search;
using Footage.Storage;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Footage.Metadata.Tests.Search;

/// <summary>
/// The two PostgreSQL plans of a full-text search on a database of its own, where ANALYZE makes 'lorry' common (in
/// about 90 % of 4 000 incidents) and 'zeppelin' rare (16), and HIGH + OPEN is narrow (40): both plans return the same
/// pages, the walk form never touches the text index, and the planner's choice follows the statistics.
/// </summary>
public sealed class SearchPlanTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Count = 4000;
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Camera = Guid.NewGuid();
    private static readonly Guid OtherCamera = Guid.NewGuid();
    private readonly IncidentTextStatistics _statistics = new(TimeProvider.System);
    private PostgresDatabase _database = null!;
    private IncidentSearchPlanner _planner = null!;
    private IncidentSearch _search = null!;

    public async ValueTask InitializeAsync()
    {
        _database = new PostgresDatabase(await postgres.CreateDatabaseAsync(), 30);
        await new MigrationRunner(_database, [new SharedMigrations(), new StorageMigrations(), new MetadataMigrations()], NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(CancellationToken.None);
        // 4 000 incidents are few: the planner here asks PostgreSQL however few entries the text index would read
        _planner = new IncidentSearchPlanner(_statistics, minimumTextRows: 0);
        _search = new IncidentSearch(_database, _planner);
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        // the statistics are the test's to make: no autovacuum ANALYZE at a moment of its own
        await connection.ExecuteAsync("ALTER TABLE incidents SET (autovacuum_enabled = false)", CancellationToken.None);
        // the spec's trigger fills search_vector; created_at repeats in threes and ranks tie, so the order's last keys matter
        await using var insert = connection.Command(
            """
            INSERT INTO incidents (title, description, severity, status, camera_ids, start_time, end_time, tags, created_by, created_at, updated_at)
            SELECT
                CASE WHEN i % 10 <> 3 THEN 'Lorry seen at gate ' ELSE 'Seen at gate ' END || 'unit' || (i % 50),
                CASE WHEN i % 250 = 0 THEN 'A zeppelin near the lorry' ELSE repeat('lorry parked ', i % 3) || 'nothing else' END,
                CASE WHEN i % 100 = 0 THEN 'HIGH' WHEN i % 5 = 0 THEN 'MEDIUM' ELSE 'LOW' END,
                CASE WHEN i % 2 = 0 THEN 'OPEN' ELSE 'CLOSED' END,
                CASE WHEN i % 4 = 0 THEN ARRAY[@camera] ELSE ARRAY[@other] END,
                @now - make_interval(hours => i), @now - make_interval(hours => i) + interval '10 minutes',
                ARRAY['t' || (i % 3)], 'test', @now - make_interval(mins => i / 3), @now
            FROM generate_series(1, @count) AS i
            """);
        await insert.With("camera", Camera).With("other", OtherCamera).With("now", Now.UtcDateTime).With("count", Count).ExecuteNonQueryAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _statistics.Dispose();
        await _database.DisposeAsync();
    }

    private static IncidentSearchQuery Query(string text, IncidentSeverity[]? severities = null, IncidentStatus[]? statuses = null, Guid[]? cameras = null,
        string[]? tags = null, DateTimeOffset? createdFrom = null, int limit = 50, int offset = 0) =>
        new(text, null, null, createdFrom, null, cameras ?? [], null, tags ?? [], severities ?? [], statuses ?? [], null, null, limit, offset);

    private static readonly IncidentSearchQuery CommonAndNarrow = Query("lorry", [IncidentSeverity.High], [IncidentStatus.Open]);

    private async Task AnalyzeAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("ANALYZE incidents", CancellationToken.None);
        await _statistics.RefreshAsync(connection, CancellationToken.None);
    }

    private async Task<IncidentSearchPlanChoice> ChooseAsync(IncidentSearchQuery query)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return await _planner.ChooseAsync(connection, query, CancellationToken.None);
    }

    private async Task<string[]> PageAsync(IncidentSearchQuery query, IncidentSearchPlan? plan)
    {
        var (items, more) = await _search.SearchAsync(query, plan, CancellationToken.None);
        return [.. items.Select(h => $"{h.Incident.Id} {h.Incident.Title} rank={h.Rank:R} title={h.TitleHighlight} description={h.DescriptionHighlight}"), $"more={more}"];
    }

    [Fact]
    public async Task Both_plans_return_the_same_pages_rows_order_ranks_and_snippets()
    {
        await AnalyzeAsync();
        IncidentSearchQuery[] queries =
        [
            CommonAndNarrow,
            Query("lorry", [IncidentSeverity.High], [IncidentStatus.Open], limit: 7, offset: 10),
            Query("lorry parked", statuses: [IncidentStatus.Open], cameras: [Camera], limit: 200),
            Query("\"lorry parked\"", [IncidentSeverity.High, IncidentSeverity.Medium], limit: 30, offset: 5),
            Query("zeppelin or lorry", [IncidentSeverity.High], [IncidentStatus.Open]),
            Query("lorry -zeppelin", statuses: [IncidentStatus.Open], createdFrom: Now.AddHours(-10)),
            Query("zeppelin", [IncidentSeverity.High]),
            Query("-lorry", [IncidentSeverity.High], [IncidentStatus.Open]),
            Query("lorries", [IncidentSeverity.High], tags: ["t1"]),
            Query("lorry unit7", limit: 20),
        ];

        var compared = 0;
        foreach (var query in queries)
        {
            var viaTextIndex = await PageAsync(query, IncidentSearchPlan.TextIndex);
            var viaFilterWalk = await PageAsync(query, IncidentSearchPlan.FilterWalk);
            var chosen = await PageAsync(query, plan: null);
            Assert.Equal(viaTextIndex, viaFilterWalk);
            Assert.Equal(viaTextIndex, chosen);
            compared += viaTextIndex.Length - 1;
        }

        // the comparison means something only if the pages are full and hold ties
        Assert.True(compared > 150, $"only {compared} rows compared");
        var page = await _search.SearchAsync(CommonAndNarrow, IncidentSearchPlan.FilterWalk, CancellationToken.None);
        Assert.Equal(40, page.Items.Count);
        Assert.True(page.Items.GroupBy(h => h.Rank).Any(g => g.Count() > 1), "ranks tie, so created_at and id decide the order");
        Assert.All(page.Items, h => Assert.Contains("<mark>", Highlights.ToHtml(h.TitleHighlight) + Highlights.ToHtml(h.DescriptionHighlight), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_filter_walk_never_reads_the_text_index()
    {
        await AnalyzeAsync();
        Assert.DoesNotContain("idx_incidents_search", await ExplainAsync(CommonAndNarrow, IncidentSearchPlan.FilterWalk));
        // with sequential scans priced out (4 000 rows are few), the usual form reads the text index and the walk still cannot
        Assert.Contains("idx_incidents_search", await ExplainAsync(Query("zeppelin"), IncidentSearchPlan.TextIndex, withoutSeqScan: true));
        Assert.DoesNotContain("idx_incidents_search", await ExplainAsync(Query("zeppelin"), IncidentSearchPlan.FilterWalk, withoutSeqScan: true));
        Assert.DoesNotContain("idx_incidents_search", await ExplainAsync(CommonAndNarrow, IncidentSearchPlan.FilterWalk, withoutSeqScan: true));
    }

    [Fact]
    public async Task The_choice_follows_the_word_frequencies_of_analyze()
    {
        // never analyzed: nothing is known, so the usual form
        Assert.Equal(IncidentSearchPlan.TextIndex, (await ChooseAsync(CommonAndNarrow)).Plan);

        await AnalyzeAsync();
        var common = await ChooseAsync(CommonAndNarrow);
        Assert.Equal(IncidentSearchPlan.FilterWalk, common.Plan);
        Assert.InRange(common.TextRows, 0.9 * Count, Count);
        Assert.InRange(common.FilterRows, 1, 100);
        // a rare word, no filter, or a filter that most incidents pass (for a word in two thirds of them): the text index
        Assert.Equal(IncidentSearchPlan.TextIndex, (await ChooseAsync(Query("zeppelin", [IncidentSeverity.High], [IncidentStatus.Open]))).Plan);
        Assert.Equal(IncidentSearchPlan.TextIndex, (await ChooseAsync(Query("lorry"))).Plan);
        Assert.Equal(IncidentSearchPlan.TextIndex, (await ChooseAsync(Query("parked", [IncidentSeverity.Low]))).Plan);
        // a rare word ANDed with the common one matches as rarely; an alternative adds its own matches
        Assert.Equal(IncidentSearchPlan.TextIndex, (await ChooseAsync(Query("lorry zeppelin", [IncidentSeverity.High], [IncidentStatus.Open]))).Plan);
        Assert.Equal(IncidentSearchPlan.FilterWalk, (await ChooseAsync(Query("zeppelin or lorries", [IncidentSeverity.High], [IncidentStatus.Open]))).Plan);

        // with the default floor, a text index read this short is not worth asking PostgreSQL about the filters
        await using (var connection = await _database.OpenAsync(CancellationToken.None))
        {
            var unasked = await new IncidentSearchPlanner(_statistics).ChooseAsync(connection, CommonAndNarrow, CancellationToken.None);
            Assert.Equal((IncidentSearchPlan.TextIndex, 0.0), (unasked.Plan, unasked.FilterRows));
        }

        // the same query once 'lorry' has become rare
        await using (var connection = await _database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                "UPDATE incidents SET title = replace(title, 'Lorry', 'Van'), description = replace(description, 'lorry', 'van') WHERE status = 'CLOSED' OR severity <> 'HIGH'",
                CancellationToken.None);
        }

        await AnalyzeAsync();
        var rare = await ChooseAsync(CommonAndNarrow);
        Assert.Equal(IncidentSearchPlan.TextIndex, rare.Plan);
        Assert.True(rare.TextRows < common.TextRows / 10, $"{rare.TextRows} matches estimated after, {common.TextRows} before");
        Assert.Equal(await PageAsync(CommonAndNarrow, IncidentSearchPlan.FilterWalk), await PageAsync(CommonAndNarrow, IncidentSearchPlan.TextIndex));
    }

    private async Task<string> ExplainAsync(IncidentSearchQuery query, IncidentSearchPlan plan, bool withoutSeqScan = false)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync($"SET enable_seqscan = {(withoutSeqScan ? "off" : "on")}", CancellationToken.None);
        await using var command = connection.CreateCommand();
        IncidentSearch.PreparePostgresText(command, query, plan);
        command.CommandText = "EXPLAIN " + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}

using Footage.Data;
using Footage.Data.Migrations;
using Footage.Metadata.Search.Unified;
using Footage.Storage;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Footage.Metadata.Tests.Search;

/// <summary>
/// The PostgreSQL planner of the search over every kind on an index of its own, where ANALYZE makes 'lorry' common (in
/// 90 % of 4 000 entries), 'parked' in a third, 'zeppelin' rare (16), and one camera narrow (40 entries): the choice
/// follows the statistics; that both accesses return the same pages is <see cref="UnifiedSearchPlanTests"/>'s to show.
/// </summary>
public sealed class UnifiedSearchPlannerTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Count = 4000;
    private static readonly Guid Narrow = Guid.NewGuid();
    private static readonly Guid Wide = Guid.NewGuid();
    private readonly SearchEntryTextStatistics _statistics = new(TimeProvider.System);
    private PostgresDatabase _database = null!;
    private UnifiedSearchPlanner _planner = null!;

    public async ValueTask InitializeAsync()
    {
        _database = new PostgresDatabase(await postgres.CreateDatabaseAsync(), 30);
        await new MigrationRunner(_database, [new SharedMigrations(), new StorageMigrations(), new MetadataMigrations()], NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(CancellationToken.None);
        // 4 000 entries are few: the planner here asks PostgreSQL however little the text index would do
        _planner = new UnifiedSearchPlanner(_statistics, minimumTextWork: 0);
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("ALTER TABLE search_entries SET (autovacuum_enabled = false)", CancellationToken.None);
        await using var insert = connection.Command(
            """
            INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time, search_vector)
            SELECT 'annotation', gen_random_uuid(), CASE WHEN i % 100 = 0 THEN ARRAY[@narrow] ELSE ARRAY[@wide] END,
                now() - make_interval(mins => i), NULL,
                footage_search_vector(
                    CASE WHEN i % 10 <> 3 THEN 'lorry ' ELSE '' END || CASE WHEN i % 3 = 0 THEN 'parked ' ELSE '' END
                    || CASE WHEN i % 250 = 0 THEN 'zeppelin ' ELSE '' END || 'gate unit' || (i % 50), NULL, NULL)
            FROM generate_series(1, @count) AS i
            """);
        await insert.With("narrow", Narrow).With("wide", Wide).With("count", Count).ExecuteNonQueryAsync(CancellationToken.None);
        await connection.ExecuteAsync("ANALYZE search_entries", CancellationToken.None);
        await _statistics.RefreshAsync(connection, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _statistics.Dispose();
        await _database.DisposeAsync();
    }

    private async Task<UnifiedSearchPlanChoice> ChooseAsync(string text, Guid? camera = null)
    {
        var query = UnifiedSearchQuery.ForText(text) with { CameraIds = camera is { } c ? [c] : [] };
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return await _planner.ChooseAsync(connection, query, [SearchKind.Annotation, SearchKind.Incident], SearchExpression.Parse(text), CancellationToken.None);
    }

    [Fact]
    public async Task A_common_word_without_filters_walks_newest_first_for_the_page_of_the_highest_rank()
    {
        var choice = await ChooseAsync("parked");
        Assert.Equal(UnifiedTextAccess.NewestFirst, choice.Top);
        // ranking every match cannot walk: without filters the other way is reading every entry
        Assert.Equal(UnifiedTextAccess.TextIndex, choice.Ranked);
        Assert.InRange(choice.Matches, 0.25 * Count, 0.45 * Count);
        Assert.InRange(choice.Walked, 51, 250);
    }

    [Fact]
    public async Task A_rare_word_uses_the_text_index()
    {
        var choice = await ChooseAsync("zeppelin");
        Assert.Equal(UnifiedTextAccess.TextIndex, choice.Top);
        Assert.Equal(UnifiedTextAccess.TextIndex, choice.Ranked);
        Assert.True(choice.Matches < 0.05 * Count, $"{choice.Matches} entries expected to hold a rare word");
    }

    [Fact]
    public async Task Common_words_on_a_narrow_camera_read_the_cameras_entries_and_check_their_text()
    {
        var choice = await ChooseAsync("\"lorry parked\"", Narrow);
        Assert.Equal(UnifiedTextAccess.Filters, choice.Top);
        Assert.Equal(UnifiedTextAccess.Filters, choice.Ranked);
        Assert.InRange(choice.FilterRowsRead, 10, 400);
    }

    [Fact]
    public async Task A_rare_word_on_a_wide_camera_keeps_the_text_index()
    {
        var choice = await ChooseAsync("zeppelin", Wide);
        Assert.Equal(UnifiedTextAccess.TextIndex, choice.Top);
        Assert.Equal(UnifiedTextAccess.TextIndex, choice.Ranked);
    }

    [Theory]
    [InlineData(51, 50_000, 7_000_000, 7_000_000, 7_000_000, UnifiedTextAccess.NewestFirst)] // a word in 0.7 %, no filter: a walk of about 7 140
    [InlineData(51, 2_300_000, 16_000, 16_000, 7_000_000, UnifiedTextAccess.Filters)] // a word in a third on one camera: its 16 000 entries, not a walk of 67 000
    public void The_walk_is_as_long_as_the_page_divided_by_the_share_that_qualifies(double wanted, double matches, double kept, double read, double rows, UnifiedTextAccess expected)
    {
        var walked = UnifiedSearchPlanner.Walked(wanted, matches, kept, rows);
        Assert.Equal(wanted / (matches / rows * (kept / rows)), walked, 1e-6);
        var (top, _) = UnifiedSearchPlanner.Choose(matches, matches, read, kept, walked, rows);
        Assert.Equal(expected, top);
    }

    [Fact]
    public void Nothing_expected_walks_everything()
    {
        Assert.Equal(1000, UnifiedSearchPlanner.Walked(51, 0, 1000, 1000));
        Assert.Equal((UnifiedTextAccess.TextIndex, UnifiedTextAccess.TextIndex), UnifiedSearchPlanner.Choose(10, 10, 1000, 1000, 1000, 1000));
    }
}

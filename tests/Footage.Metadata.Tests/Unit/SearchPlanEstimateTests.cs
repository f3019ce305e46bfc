using Footage.Metadata.Search;
using Xunit;

namespace Footage.Metadata.Tests.Unit;

/// <summary>How many incidents a query's text matches, from ANALYZE's word frequencies, and the plan chosen from it.</summary>
public sealed class SearchPlanEstimateTests
{
    private static readonly TextStatistics Statistics = new(
        new Dictionary<string, double> { ["vehicl"] = 0.9, ["fire"] = 0.4, ["smoke"] = 0.1, ["bridg"] = 0.02 }, UnlistedFrequency: 0.001, Rows: 1_000_000);

    private static readonly Dictionary<string, IReadOnlyList<string>> Lexemes = new()
    {
        ["vehicles"] = ["vehicl"], ["fire"] = ["fire"], ["smoke"] = ["smoke"], ["bridge"] = ["bridg"], ["zeppelin"] = ["zeppelin"], ["ok"] = [],
    };

    [Theory]
    [InlineData("vehicles", 900_000)]
    [InlineData("zeppelin", 1_000)]
    [InlineData("vehicles fire", 360_000)]
    [InlineData("fire bridge vehicles", 7_200)]
    [InlineData("\"smoke bridge\"", 2_000)]
    [InlineData("fire or smoke", 500_000)]
    [InlineData("fire -smoke", 360_000)]
    [InlineData("-smoke", 900_000)]
    [InlineData("vehicles or fire or smoke", 1_000_000)]
    [InlineData("ok fire", 400_000)]
    public void Words_count_as_independent_and_alternatives_add_up(string text, double expected) =>
        Assert.Equal(expected, Statistics.MatchingRows(WebSearchQuery.Parse(text), Lexemes), 3);

    [Fact]
    public void Without_statistics_nothing_is_known()
    {
        Assert.True(TextStatistics.None.IsEmpty);
        Assert.False(Statistics.IsEmpty);
    }

    [Theory]
    [InlineData(900_000, 10_000, IncidentSearchPlan.FilterWalk)]
    [InlineData(200_000, 10_000, IncidentSearchPlan.FilterWalk)]
    [InlineData(80_000, 10_000, IncidentSearchPlan.TextIndex)]
    [InlineData(30_000, 4_000, IncidentSearchPlan.TextIndex)]
    [InlineData(1_000, 20, IncidentSearchPlan.FilterWalk)]
    [InlineData(150, 20, IncidentSearchPlan.TextIndex)]
    [InlineData(0, 0, IncidentSearchPlan.TextIndex)]
    public void The_filters_are_walked_when_their_extra_rows_cost_less_than_the_text_matches(double textRows, double filterRows, IncidentSearchPlan expected) =>
        Assert.Equal(expected, IncidentSearchPlanner.Choose(textRows, filterRows, rows: 1_000_000, filterRowCost: 10));

    [Fact]
    public void A_word_in_nearly_every_incident_is_walked_even_over_many_rows_since_both_plans_read_them()
    {
        Assert.Equal(IncidentSearchPlan.FilterWalk, IncidentSearchPlanner.Choose(970_000, 400_000, rows: 1_000_000, filterRowCost: 15));
        Assert.Equal(IncidentSearchPlan.TextIndex, IncidentSearchPlanner.Choose(970_000, 400_000, rows: 1_000_000, filterRowCost: 100));
    }

    [Theory]
    // the filters' own index returns all they need: its rows
    [InlineData("""{"Node Type": "Index Only Scan", "Relation Name": "incidents", "Plan Rows": 9959}""", 9959)]
    // a bitmap scan reads what its bitmap holds, before the conditions checked on each row
    [InlineData("""
        {"Node Type": "Bitmap Heap Scan", "Relation Name": "incidents", "Plan Rows": 1257,
         "Plans": [{"Node Type": "Bitmap Index Scan", "Index Name": "idx_incidents_camera_ids", "Plan Rows": 3835}]}
        """, 3835)]
    [InlineData("""{"Node Type": "Seq Scan", "Relation Name": "incidents", "Plan Rows": 400000}""", 1_000_000)]
    // a sub-plan over cameras (the source filter) is not a read of incidents
    [InlineData("""
        {"Node Type": "Index Scan", "Relation Name": "incidents", "Plan Rows": 120,
         "Plans": [{"Node Type": "Seq Scan", "Relation Name": "cameras", "Parent Relationship": "InitPlan", "Plan Rows": 50}]}
        """, 120)]
    public void The_rows_a_filter_plan_reads_come_from_its_scans_of_incidents(string plan, double expected)
    {
        using var document = System.Text.Json.JsonDocument.Parse(plan);
        Assert.Equal(expected, IncidentSearchPlanner.RowsRead(document.RootElement, tableRows: 1_000_000));
    }
}

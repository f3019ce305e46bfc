using System.Text.Json;

namespace Footage.Metadata.Search;

/// <summary>What PostgreSQL's plan (<c>EXPLAIN (FORMAT JSON)</c>) says a statement reads from a table and returns.</summary>
internal static class PlanRows
{
    /// <summary>
    /// How many rows of the table a plan reads: what its index scans return (a bitmap scan's bitmap, before the
    /// conditions checked on each row), or every row for a sequential scan.
    /// </summary>
    public static double Read(JsonElement node, string table, double tableRows)
    {
        var read = 0.0;
        if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == table)
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
                read = Math.Max(read, Read(child, table, tableRows));
            }
        }

        return read;
    }

    /// <summary>The (first) plan of an <c>EXPLAIN (FORMAT JSON)</c> answer.</summary>
    public static JsonElement Root(JsonDocument explained) => explained.RootElement[0].GetProperty("Plan");
}

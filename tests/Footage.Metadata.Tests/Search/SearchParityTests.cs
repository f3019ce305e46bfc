using System.Net.Http.Json;
using System.Text.Json;
using Footage.Metadata.Tests.Support;
using Footage.Testing;
using Xunit;
using static Footage.Metadata.Tests.Support.MetadataClient;

namespace Footage.Metadata.Tests.Search;

/// <summary>The same incidents in SQLite (FTS5) and PostgreSQL (tsvector) give the same results for the same searches.</summary>
public sealed class SearchParityTests(Hosts hosts) : IClassFixture<Hosts>
{
    private static readonly (string Title, string? Description, string Severity, string[] Tags)[] Incidents =
    [
        ("Warehouse fire on Dock Street", "Smoke seen from the loading bay; fire crews called.", "CRITICAL", ["fire"]),
        ("Fires in two bins", "Youths running from the scene.", "LOW", ["fire", "youths"]),
        ("Car theft", "A silver car was stolen from the car park at night.", "HIGH", ["theft"]),
        ("Stolen bicycles", "Three bicycles taken; the thief was running towards the station.", "MEDIUM", ["theft"]),
        ("Assault at the station", "Two men fighting near the ticket office.", "HIGH", []),
        ("Broken window", "Window of the bakery broken overnight, no fire.", "LOW", []),
        ("Suspicious package", null, "MEDIUM", []),
        ("Traffic collision", "Van and cars collided at the junction; drivers unhurt.", "MEDIUM", ["traffic"]),
        ("Graffiti on the bridge", "Painted tags on the north side of the bridge.", "LOW", ["vandalism"]),
        ("Shoplifting at the market", "Woman leaves the market with unpaid goods.", "LOW", ["theft"]),
        ("Drone over the stadium", "Small drone flying over the crowd during the match.", "HIGH", []),
        ("Flooded underpass", "Water 40 cm deep; cars stuck in the underpass.", "MEDIUM", ["traffic"]),
    ];

    private static readonly string[] Queries =
    [
        "q=fire", "q=fires", "q=FIRE", "q=running", "q=run", "q=car", "q=cars", "q=stolen", "q=theft", "q=station",
        "q=fire smoke", "q=%22loading bay%22", "q=%22car park%22", "q=fire or theft", "q=fire -smoke", "q=-fire",
        "q=the", "q=the station", "q=%22the station%22", "q=bridge north", "q=drone or flooded or graffiti", "q=40",
        "q=car&severity=HIGH", "q=theft&tag=theft", "q=fire&status=OPEN", "q=station&severity=HIGH,MEDIUM",
        "q=unknownword", "q=%22%22", "q=or", "q=-", "q=car or", "q=Window!!! broken?",
        "severity=LOW", "tag=traffic", "tag=fire&tag=youths",
    ];

    [Fact]
    public async Task Every_query_finds_the_same_incidents_on_both_databases()
    {
        var sqlite = await hosts.GetAsync(DatabaseKind.Sqlite);
        var postgres = await hosts.GetAsync(DatabaseKind.Postgres);
        var camera = Guid.NewGuid();
        foreach (var server in new[] { sqlite, postgres })
        {
            foreach (var (title, description, severity, tags) in Incidents)
            {
                await server.Admin.CreateIncidentAsync(new
                {
                    title, description, severity, tags, camera_ids = new[] { camera }, start_time = Iso(At(1)), end_time = Iso(At(2)),
                });
            }
        }

        var found = 0;
        foreach (var query in Queries)
        {
            var fromSqlite = await TitlesAsync(sqlite, query);
            var fromPostgres = await TitlesAsync(postgres, query);
            Assert.True(fromSqlite.Order().SequenceEqual(fromPostgres.Order()),
                $"{query}: SQLite found [{string.Join(" | ", fromSqlite)}], PostgreSQL [{string.Join(" | ", fromPostgres)}]");
            found += fromSqlite.Length;
        }

        Assert.True(found > Queries.Length, "the queries must find something for the comparison to mean anything");

        // where ranks differ, so does the order: a title match comes first on both
        Assert.Equal("Warehouse fire on Dock Street", (await TitlesAsync(sqlite, "q=smoke fire"))[0]);
        Assert.Equal("Warehouse fire on Dock Street", (await TitlesAsync(postgres, "q=smoke fire"))[0]);
        Assert.Equal("Car theft", (await TitlesAsync(sqlite, "q=car"))[0]);
        Assert.Equal("Car theft", (await TitlesAsync(postgres, "q=car"))[0]);
    }

    private static async Task<string[]> TitlesAsync(FootageServer server, string query)
    {
        var page = await server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?{query}&limit=200");
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("incident").GetProperty("title").GetString()!).ToArray();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Metadata.Tests.Support;
using Footage.Testing;
using Xunit;
using static Footage.Metadata.Tests.Support.MetadataClient;

namespace Footage.Metadata.Tests.Search;

/// <summary>Incident and segment search with every filter, on SQLite and on PostgreSQL.</summary>
public abstract class SearchApiTests(DatabaseKind database, Hosts hosts) : IClassFixture<Hosts>
{
    private Task<FootageServer> ServerAsync() => hosts.GetAsync(database);

    private static object Incident(string title, string? description, Guid camera, string severity = "MEDIUM", int fromHour = 10, int toHour = 11,
        string[]? tags = null, string? assignedTo = null) => new
    {
        title, description, severity, camera_ids = new[] { camera }, start_time = Iso(At(fromHour)), end_time = Iso(At(toHour)), tags, assigned_to = assignedTo,
    };

    private static async Task<string[]> SearchAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>("api/v1/metadata/search?" + (query.Contains("type=", StringComparison.Ordinal) ? "" : "type=incidents&") + query)).Ids();

    [Fact]
    public async Task Full_text_ranks_a_title_match_above_a_description_match_and_highlights_both()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var word = UniqueWord();
        var camera = Guid.NewGuid();
        var inDescription = await op.CreateIncidentAsync(Incident("Vehicle stopped on the bridge", $"Driver mentions {word} <b>twice</b> to the officer", camera));
        var inTitle = await op.CreateIncidentAsync(Incident($"Fire at {word} warehouse", "Smoke from the roof", camera));
        await op.CreateIncidentAsync(Incident("Unrelated", "nothing to see", camera));

        var page = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?type=incidents&q={word}");
        Assert.Equal([inTitle.Id().ToString(), inDescription.Id().ToString()], page.Ids());
        Assert.Equal("incidents", page.GetProperty("type").GetString());
        var items = page.GetProperty("items");
        Assert.True(items[0].GetProperty("rank").GetDouble() > items[1].GetProperty("rank").GetDouble());
        Assert.Contains($"<mark>{word}</mark>", items[0].GetProperty("highlights").GetProperty("title").GetString());
        var snippet = items[1].GetProperty("highlights").GetProperty("description").GetString()!;
        Assert.Contains($"<mark>{word}</mark>", snippet);
        // markup from the data never reaches the page as markup (escaped on SQLite, dropped by ts_headline on PostgreSQL)
        Assert.DoesNotContain("<b>", snippet);
    }

    [Fact]
    public async Task Websearch_syntax_phrases_or_and_exclusion_work()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var (a, b, c) = (UniqueWord(), UniqueWord(), UniqueWord());
        var camera = Guid.NewGuid();
        var ab = (await op.CreateIncidentAsync(Incident($"{a} {b}", null, camera))).Id().ToString();
        var ba = (await op.CreateIncidentAsync(Incident($"{b} and {a}", null, camera))).Id().ToString();
        var ac = (await op.CreateIncidentAsync(Incident(a, $"with {c}", camera))).Id().ToString();
        var onlyC = (await op.CreateIncidentAsync(Incident(c, "running cars", camera))).Id().ToString();

        Assert.Equal(new[] { ab, ba }.Order(), (await SearchAsync(op, $"q={a} {b}")).Order());
        Assert.Equal([ab], await SearchAsync(op, $"q=\"{a} {b}\""));
        Assert.Equal(new[] { ab, ba, ac }.Order(), (await SearchAsync(op, $"q={a}")).Order());
        Assert.Equal(new[] { ab, ba }.Order(), (await SearchAsync(op, $"q={a} -{c}")).Order());
        Assert.Equal(new[] { ab, ba, onlyC }.Order(), (await SearchAsync(op, $"q={Uri.EscapeDataString($"\"{a} {b}\" or {b} or {c} -{a}")}")).Order());
        Assert.Equal([onlyC], await SearchAsync(op, $"q={c} run&camera_id={camera}"));
        Assert.Empty(await SearchAsync(op, "q=the and of"));
        Assert.Empty(await SearchAsync(op, "q=" + Uri.EscapeDataString("!!! --- \"\"")));
    }

    [Fact]
    public async Task Every_filter_narrows_the_results_and_they_combine_with_text()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var admin = server.Admin;
        var word = UniqueWord();
        var source = "district-" + UniqueWord();
        var camera = Guid.NewGuid();
        (await admin.PostAsJsonAsync("api/v1/cameras", new { id = camera, name = "North gate", source })).EnsureSuccessStatusCode();
        var other = Guid.NewGuid();

        var high = (await op.CreateIncidentAsync(Incident($"{word} one", null, camera, "HIGH", 1, 2, ["theft", "night"], "lee"))).Id().ToString();
        var low = (await op.CreateIncidentAsync(Incident($"{word} two", null, other, "LOW", 5, 6, ["theft"]))).Id().ToString();
        var critical = (await op.CreateIncidentAsync(Incident($"{word} three", null, other, "CRITICAL", 20, 22, null, "khan"))).Id().ToString();
        (await op.PatchJsonAsync($"api/v1/metadata/incidents/{critical}", new { status = "CLOSED" })).EnsureSuccessStatusCode();
        var adminMade = (await admin.CreateIncidentAsync(Incident($"{word} four", null, other, "LOW", 7, 8))).Id().ToString();

        async Task Expect(string filter, params string[] expected) =>
            Assert.Equal(expected.Order(), (await SearchAsync(op, $"q={word}&{filter}")).Order());

        await Expect("severity=HIGH", high);
        await Expect("severity=low,critical", low, critical, adminMade);
        await Expect("severity=LOW&severity=HIGH", high, low, adminMade);
        await Expect("status=CLOSED", critical);
        await Expect("status=OPEN,INVESTIGATING", high, low, adminMade);
        await Expect($"camera_id={camera}", high);
        await Expect($"camera_id={camera},{other}", high, low, critical, adminMade);
        await Expect($"source={source}", high);
        await Expect("tag=theft", high, low);
        await Expect("tag=theft&tag=night", high);
        await Expect("assigned_to=khan", critical);
        await Expect("created_by=admin", adminMade);
        await Expect($"from={Iso(At(4))}&to={Iso(At(9))}", low, adminMade);
        await Expect($"from={Iso(At(21))}", critical);
        await Expect($"to={Iso(At(2))}", high);
        await Expect($"created_from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}", high, low, critical, adminMade);
        await Expect($"created_to=2020-01-01T00:00:00Z");
        await Expect($"severity=HIGH&camera_id={other}");

        // the same filters without text
        Assert.Equal(new[] { high, low }.Order(), (await SearchAsync(op, $"tag=theft&camera_id={camera},{other}")).Order());
        var list = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents?source={source}");
        Assert.Equal([high], list.Ids());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("items")[0].GetProperty("highlights").ValueKind);
    }

    [Fact]
    public async Task Results_are_paged_without_gaps_or_repeats()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var word = UniqueWord();
        var camera = Guid.NewGuid();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await op.CreateIncidentAsync(Incident(i % 2 == 0 ? $"{word} {word}" : word, i % 3 == 0 ? word : null, camera))).Id().ToString());
        }

        var seen = new List<string>();
        int? offset = 0;
        while (offset is not null)
        {
            var page = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?type=incidents&q={word}&limit=3&offset={offset}");
            seen.AddRange(page.Ids());
            offset = page.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_offset").GetInt32();
        }

        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(seen, await SearchAsync(op, $"q={word}&limit=200"));
    }

    [Fact]
    public async Task Segments_are_found_by_tags_cameras_sources_and_time()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var source = "district-" + UniqueWord();
        var camera = Guid.NewGuid();
        var other = Guid.NewGuid();
        (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { id = camera, name = "South gate", source })).EnsureSuccessStatusCode();
        var s1 = await server.RegisterSegmentAsync(camera, At(1), At(2));
        var s2 = await server.RegisterSegmentAsync(camera, At(2), At(3));
        var s3 = await server.RegisterSegmentAsync(other, At(2), At(3));
        var red = (await op.CreateTagAsync("red-" + UniqueWord())).GetProperty("name").GetString()!;
        var blue = (await op.CreateTagAsync("blue-" + UniqueWord())).GetProperty("name").GetString()!;
        foreach (var (segment, tag) in new[] { (s1, red), (s2, red), (s2, blue), (s3, red) })
        {
            (await op.PostAsJsonAsync($"api/v1/metadata/segments/{segment.Id()}/tags", new { tag_name = tag })).EnsureSuccessStatusCode();
        }

        Assert.Equal(new[] { s1.Id().ToString(), s2.Id().ToString(), s3.Id().ToString() }.Order(), (await SearchAsync(op, $"type=segments&tag={red}")).Order());
        Assert.Equal([s2.Id().ToString()], await SearchAsync(op, $"type=segments&tag={red}&tag={blue}"));
        Assert.Equal([s1.Id().ToString(), s2.Id().ToString()], await SearchAsync(op, $"type=segments&source={source}"));
        Assert.Equal([s2.Id().ToString()], await SearchAsync(op, $"type=segments&camera_id={camera}&from={Iso(At(2, 30))}&to={Iso(At(4))}"));
        Assert.Equal([s3.Id().ToString()], await SearchAsync(op, $"type=segments&tag={red}&camera_id={other}"));

        var page = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?type=segments&tag={blue}");
        var hit = page.GetProperty("items")[0];
        Assert.Equal(new[] { blue, red }.Order(), hit.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        Assert.False(hit.GetProperty("evidence_hold").GetBoolean());

        await op.CreateIncidentAsync(Incident("Held", null, camera, fromHour: 2, toHour: 3));
        hit = (await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?type=segments&tag={blue}")).GetProperty("items")[0];
        Assert.True(hit.GetProperty("evidence_hold").GetBoolean());
    }

    [Theory]
    [InlineData("severity=SEVERE", "severity")]
    [InlineData("status=DONE", "status")]
    [InlineData("status=OPEN,closedish", "status")]
    [InlineData("camera_id=abc", "camera_id")]
    [InlineData("camera_id=1%27%20OR%201%3D1", "camera_id")]
    [InlineData("from=2026-11-20T10:00:00Z&to=2026-11-20T09:00:00Z", "to")]
    [InlineData("from=noon", "from")]
    [InlineData("created_from=2026-11-20T10:00:00Z&created_to=2026-11-20T10:00:00Z", "created_to")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("type=cameras", "type")]
    [InlineData("type=segments&q=fire", "q")]
    [InlineData("type=segments&camera_id=zzz", "camera_id")]
    [InlineData("tag=", "tag")]
    [InlineData("kind=cameras", "kind")]
    [InlineData("type=incidents&limit=0", "limit")]
    public async Task Bad_search_parameters_are_400_naming_the_parameter(string query, string field)
    {
        var server = await ServerAsync();
        var problem = await (await server.Admin.GetAsync("api/v1/metadata/search?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
    }

    [Theory]
    [InlineData("'; DROP TABLE incidents; --")]
    [InlineData("\" OR 1=1 --")]
    [InlineData("title:fire NEAR(fire smoke, 2) OR *")]
    [InlineData("fire\" AND \"smoke")]
    [InlineData("^fire + {title description}: fire*")]
    [InlineData("') UNION SELECT id, hash FROM custody_log --")]
    [InlineData("\\x00 %00 \u0000")]
    public async Task Injection_attempts_in_every_text_filter_are_plain_text(string hostile)
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var word = UniqueWord();
        var camera = Guid.NewGuid();
        var mine = (await op.CreateIncidentAsync(Incident($"{word} {hostile.Replace("\u0000", "")}", hostile.Replace("\u0000", ""), camera, tags: [word]))).Id().ToString();
        var escaped = Uri.EscapeDataString(hostile);
        foreach (var parameter in new[] { "q", "source", "created_by", "assigned_to", "tag" })
        {
            var response = await op.GetAsync($"api/v1/metadata/search?type=incidents&{parameter}={escaped}&camera_id={camera}");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{parameter}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.Contains(parameter, (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
            }
        }

        Assert.Equal([mine], await SearchAsync(op, $"q={word}&tag={word}"));
        var segments = await op.GetAsync($"api/v1/metadata/search?type=segments&tag={escaped}&source={escaped}");
        Assert.True(segments.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest);
        Assert.Equal([mine], await SearchAsync(op, $"q={word}"));
    }
}

public sealed class SqliteSearchApiTests(Hosts hosts) : SearchApiTests(DatabaseKind.Sqlite, hosts);

public sealed class PostgresSearchApiTests(Hosts hosts) : SearchApiTests(DatabaseKind.Postgres, hosts);

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Metadata.Tests.Support;
using Footage.Testing;
using Xunit;
using static Footage.Metadata.Tests.Support.MetadataClient;

namespace Footage.Metadata.Tests.Incidents;

/// <summary>Creating, reading, updating and listing incidents, on SQLite and on PostgreSQL.</summary>
public abstract class IncidentsApiTests(DatabaseKind database, Hosts hosts) : IClassFixture<Hosts>
{
    private Task<FootageServer> ServerAsync() => hosts.GetAsync(database);

    private static object NewIncident(string? title = null, params Guid[] cameras) => new
    {
        title = title ?? "Break-in at the depot",
        description = "Two people climb the fence at the north gate.",
        severity = "HIGH",
        camera_ids = cameras.Length == 0 ? [Guid.NewGuid()] : cameras,
        start_time = Iso(At(10)),
        end_time = Iso(At(11)),
        tags = new[] { "burglary", "night" },
        assigned_to = "inspector.lee",
    };

    [Fact]
    public async Task An_incident_is_created_by_the_caller_and_read_back_with_the_spec_fields()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var camera = Guid.NewGuid();
        var body = new
        {
            title = "  Break-in at the depot ", description = "Fence\nclimbed", severity = "high", camera_ids = new[] { camera },
            start_time = "2026-11-20T11:00:00+01:00", end_time = Iso(At(11)), tags = new[] { "burglary" }, created_by = "mallory",
        };
        var response = await op.PostAsJsonAsync("api/v1/metadata/incidents", body);
        var created = await response.AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/metadata/incidents/{created.Id()}", response.Headers.Location?.OriginalString);

        var incident = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents/{created.Id()}");
        Assert.Equal("Break-in at the depot", incident.GetProperty("title").GetString());
        Assert.Equal("Fence\nclimbed", incident.GetProperty("description").GetString());
        Assert.Equal("HIGH", incident.GetProperty("severity").GetString());
        Assert.Equal("OPEN", incident.GetProperty("status").GetString());
        Assert.Equal(camera, incident.GetProperty("camera_ids")[0].GetGuid());
        Assert.Equal("2026-11-20T10:00:00Z", incident.GetProperty("start_time").GetString());
        Assert.Equal("2026-11-20T11:00:00Z", incident.GetProperty("end_time").GetString());
        Assert.Equal("burglary", incident.GetProperty("tags")[0].GetString());
        Assert.StartsWith("operator-", incident.GetProperty("created_by").GetString());
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("closed_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("assigned_to").ValueKind);
        Assert.True(incident.GetProperty("evidence_hold").GetBoolean());
        foreach (var field in new[] { "id", "created_at", "updated_at", "evidence_hold_until" })
        {
            Assert.True(incident.TryGetProperty(field, out _), $"missing {field}");
        }
    }

    [Fact]
    public async Task Status_severity_assignment_cameras_range_and_tags_are_updated_and_closing_sets_closed_at()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var created = await op.CreateIncidentAsync(NewIncident());
        var url = $"api/v1/metadata/incidents/{created.Id()}";
        var camera = Guid.NewGuid();

        var updated = await (await op.PatchJsonAsync(url, new
        {
            status = "INVESTIGATING", severity = "CRITICAL", assigned_to = "sgt.khan", camera_ids = new[] { camera },
            start_time = Iso(At(9)), end_time = Iso(At(12)), tags = new[] { "arson" }, description = (string?)null,
        })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("INVESTIGATING", updated.GetProperty("status").GetString());
        Assert.Equal("CRITICAL", updated.GetProperty("severity").GetString());
        Assert.Equal("sgt.khan", updated.GetProperty("assigned_to").GetString());
        Assert.Equal(camera, updated.GetProperty("camera_ids").EnumerateArray().Single().GetGuid());
        Assert.Equal("2026-11-20T09:00:00Z", updated.GetProperty("start_time").GetString());
        Assert.Equal("arson", updated.GetProperty("tags").EnumerateArray().Single().GetString());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("description").ValueKind);
        Assert.Equal("Break-in at the depot", updated.GetProperty("title").GetString());

        var closed = await (await op.PatchJsonAsync(url, new { status = "CLOSED" })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("CLOSED", closed.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, closed.GetProperty("closed_at").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, closed.GetProperty("evidence_hold_until").ValueKind);

        var reopened = await (await op.PatchJsonAsync(url, new { status = "OPEN" })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("closed_at").ValueKind);
        var read = await op.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("OPEN", read.GetProperty("status").GetString());
        Assert.Equal("CRITICAL", read.GetProperty("severity").GetString());
    }

    public static TheoryData<string, string> InvalidIncidents => new()
    {
        { """{"severity":"LOW","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "title" },
        { """{"title":"","severity":"LOW","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "title" },
        { """{"title":"TITLE256","severity":"LOW","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "title" },
        { """{"title":"t","severity":"SEVERE","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "severity" },
        { """{"title":"t","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "severity" },
        { """{"title":"t","severity":"LOW","status":"DONE","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "status" },
        { """{"title":"t","severity":"LOW","camera_ids":[],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "camera_ids" },
        { """{"title":"t","severity":"LOW","camera_ids":["cam-1"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "camera_ids" },
        { """{"title":"t","severity":"LOW","camera_ids":["CAMERA","CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "camera_ids" },
        { """{"title":"t","severity":"LOW","camera_ids":["CAMERA"],"end_time":"2026-11-20T11:00:00Z"}""", "start_time" },
        { """{"title":"t","severity":"LOW","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00","end_time":"2026-11-20T11:00:00Z"}""", "start_time" },
        { """{"title":"t","severity":"LOW","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T10:00:00Z"}""", "end_time" },
        { """{"title":"t","severity":"LOW","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T09:00:00Z"}""", "end_time" },
        { """{"title":"t","severity":"LOW","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","tags":[""]}""", "tags" },
        { """{"title":"t","severity":"LOW","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","assigned_to":"ASSIGNED256"}""", "assigned_to" },
        { """{"title":"t\u0000","severity":"LOW","camera_ids":["CAMERA"],"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z"}""", "title" },
    };

    [Theory]
    [MemberData(nameof(InvalidIncidents))]
    public async Task Every_invalid_field_is_a_400_naming_the_field_and_creates_nothing(string json, string field)
    {
        var server = await ServerAsync();
        var camera = Guid.NewGuid();
        json = json.Replace("CAMERA", camera.ToString()).Replace("TITLE256", new string('t', 256)).Replace("ASSIGNED256", new string('a', 256));
        var problem = await (await server.Admin.PostAsync("api/v1/metadata/incidents", Json(json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
        var list = await server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents?camera_id={camera}");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"camera_ids": "one"}""")]
    [InlineData("""{"title": 42}""")]
    [InlineData("[]")]
    public async Task Malformed_bodies_are_400_never_500(string json)
    {
        var server = await ServerAsync();
        await (await server.Admin.PostAsync("api/v1/metadata/incidents", Json(json))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("""{"severity":"SEVERE"}""", "severity")]
    [InlineData("""{"status":"DONE"}""", "status")]
    [InlineData("""{"status":null}""", "status")]
    [InlineData("""{"title":null}""", "title")]
    [InlineData("""{"title":7}""", "title")]
    [InlineData("""{"end_time":"2026-11-20T09:00:00Z"}""", "end_time")]
    [InlineData("""{"camera_ids":["x"]}""", "camera_ids")]
    [InlineData("""{"camera_ids":[1]}""", "camera_ids")]
    [InlineData("""{"created_by":"mallory"}""", "created_by")]
    [InlineData("""{"closed_at":"2026-11-20T09:00:00Z"}""", "closed_at")]
    public async Task Invalid_updates_are_400_naming_the_field_and_change_nothing(string json, string field)
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var created = await op.CreateIncidentAsync(NewIncident());
        var url = $"api/v1/metadata/incidents/{created.Id()}";
        var problem = await (await op.PatchAsync(url, Json(json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
        var read = await op.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(created.GetProperty("updated_at").GetString(), read.GetProperty("updated_at").GetString());
        Assert.Equal("HIGH", read.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Unknown_incidents_are_404_and_malformed_ids_400()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var unknown = Guid.NewGuid();
        await (await op.GetAsync($"api/v1/metadata/incidents/{unknown}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.PatchJsonAsync($"api/v1/metadata/incidents/{unknown}", new { status = "CLOSED" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.GetAsync($"api/v1/metadata/incidents/{unknown}/custody")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.GetAsync($"api/v1/metadata/incidents/{unknown}/custody/verify")).AssertProblemAsync(HttpStatusCode.NotFound);
        var bad = await (await op.GetAsync("api/v1/metadata/incidents/1' OR '1'='1")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("id", bad.ErrorFields());
        await (await op.PatchJsonAsync("api/v1/metadata/incidents/abc", new { status = "CLOSED" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await op.GetAsync("api/v1/metadata/incidents/abc/custody")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Incidents_are_listed_newest_first_in_stable_pages()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var camera = Guid.NewGuid();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await op.CreateIncidentAsync(NewIncident($"Incident {i}", camera))).Id().ToString());
        }

        var seen = new List<(string Id, DateTimeOffset CreatedAt)>();
        int? offset = 0;
        while (offset is not null)
        {
            var page = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents?camera_id={camera}&limit=2&offset={offset}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("incident"))
                .Select(i => (i.GetProperty("id").GetString()!, i.GetProperty("created_at").GetDateTimeOffset())));
            offset = page.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_offset").GetInt32();
        }

        Assert.Equal(ids.Order().ToArray(), seen.Select(s => s.Id).Order().ToArray());
        var expected = seen.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, seen.ToArray());
    }

    [Fact]
    public async Task Viewers_read_incidents_operators_create_and_update_them()
    {
        var server = await ServerAsync();
        var viewer = await server.ClientAsync("viewer");
        var op = await server.ClientAsync("operator");
        await (await viewer.PostAsJsonAsync("api/v1/metadata/incidents", NewIncident())).AssertProblemAsync(HttpStatusCode.Forbidden);
        var created = await op.CreateIncidentAsync(NewIncident());
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"api/v1/metadata/incidents/{created.Id()}")).StatusCode);
        await (await viewer.PatchJsonAsync($"api/v1/metadata/incidents/{created.Id()}", new { status = "CLOSED" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"api/v1/metadata/incidents/{created.Id()}/custody")).StatusCode);
        await (await server.CreateClient().GetAsync($"api/v1/metadata/incidents/{created.Id()}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class SqliteIncidentsApiTests(Hosts hosts) : IncidentsApiTests(DatabaseKind.Sqlite, hosts);

public sealed class PostgresIncidentsApiTests(Hosts hosts) : IncidentsApiTests(DatabaseKind.Postgres, hosts);

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Cameras;

/// <summary>Camera groups, the camera list's filters, sorting and paging, and callers limited to groups, on SQLite and on PostgreSQL.</summary>
public abstract class CameraGroupsApiTests(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(database, postgres);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Admins_create_rename_fill_and_delete_groups_and_each_change_is_in_the_audit_log()
    {
        var north = await CameraAsync("Harbour North");
        var south = await CameraAsync("Harbour South");
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/camera-groups", new { name = "Harbour", camera_ids = new[] { north } }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal([north], Ids(created.GetProperty("camera_ids")));

        var renamed = await (await _server.Admin.PutAsJsonAsync($"api/v1/camera-groups/{id}", new { name = "Harbour district", camera_ids = new[] { north, south } }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Harbour district", renamed.GetProperty("name").GetString());
        Assert.Equal(new[] { north, south }.Order(), Ids(renamed.GetProperty("camera_ids")).Order());

        // a camera in two groups, and the camera says which
        var second = await GroupAsync("Night shift", south);
        var camera = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras/{south}");
        Assert.Equal(new[] { id, second }.Order(), Ids(camera.GetProperty("group_ids")).Order());

        await (await _server.Admin.PostAsJsonAsync("api/v1/camera-groups", new { name = "Harbour district" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("camera_ids", (await (await _server.Admin.PutAsJsonAsync($"api/v1/camera-groups/{id}", new { camera_ids = new[] { Guid.NewGuid() } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("name", (await (await _server.Admin.PostAsync("api/v1/camera-groups", new StringContent("""{"name":""}""", Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        await (await (await _server.ClientAsync("operator")).PostAsJsonAsync("api/v1/camera-groups", new { name = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Admin.DeleteAsync($"api/v1/camera-groups/{id}")).StatusCode);
        await (await _server.Admin.GetAsync($"api/v1/camera-groups/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        camera = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras/{south}");
        Assert.Equal([second], Ids(camera.GetProperty("group_ids")));

        // deleting a camera takes it out of its groups
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Admin.DeleteAsync($"api/v1/cameras/{south}")).StatusCode);
        Assert.Empty(Ids((await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/camera-groups/{second}")).GetProperty("camera_ids")));

        var audit = await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/audit?limit=1000");
        var paths = audit.EnumerateArray().Select(e => $"{e.GetProperty("method").GetString()} {e.GetProperty("path").GetString()}").ToArray();
        Assert.Contains("POST /api/v1/camera-groups", paths);
        Assert.Contains($"PUT /api/v1/camera-groups/{id}", paths);
        Assert.Contains($"DELETE /api/v1/camera-groups/{id}", paths);
    }

    [Fact]
    public async Task The_camera_list_filters_by_text_group_and_status_sorts_and_pages_and_stays_an_array_without_paging()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await CameraAsync($"{prefix} Camera {i}"));
        }

        var milestone = (await (await _server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = $"{prefix} Milestone gate", storage_mode = "MILESTONE" }))
            .AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var group = await GroupAsync($"{prefix} Odd", ids[1], ids[3], ids[5], milestone);

        var all = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras?q={prefix}");
        Assert.Equal(JsonValueKind.Array, all.ValueKind);
        Assert.Equal(8, all.GetArrayLength());
        Assert.Equal("STOPPED", all[0].GetProperty("status").GetString());

        var inGroup = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras?group={group}&sort=-name");
        Assert.Equal([milestone, ids[5], ids[3], ids[1]], Ids(inGroup));

        var onlyMilestone = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras?q={prefix}&status=milestone");
        Assert.Equal([milestone], Ids(onlyMilestone));
        Assert.Equal(7, (await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras?q={prefix}&status=stopped,failing")).GetArrayLength());
        Assert.Empty(Ids(await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras?q={prefix}&status=recording")));

        var page = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras?q={prefix.ToUpperInvariant()}&offset=2&limit=3");
        Assert.Equal(8, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("offset").GetInt32());
        Assert.Equal(3, page.GetProperty("limit").GetInt32());
        Assert.Equal(ids.Skip(2).Take(3), Ids(page.GetProperty("items")));

        foreach (var (query, field) in new[] { ("status=burning", "status"), ("group=nope", "group"), ("sort=colour", "sort"), ("limit=0", "limit"), ("offset=-1", "offset") })
        {
            Assert.Contains(field, (await (await _server.Admin.GetAsync($"api/v1/cameras?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        }
    }

    [Fact]
    public async Task A_key_limited_to_a_group_sees_only_its_cameras_and_others_are_not_found_and_all_again_when_the_limit_is_lifted()
    {
        var mine = await CameraAsync("Old Town Square");
        var theirs = await CameraAsync("Airport Apron");
        var oldTown = await GroupAsync($"Old Town {Guid.NewGuid():N}", mine);
        var airport = await GroupAsync($"Airport {Guid.NewGuid():N}", theirs, mine);
        var (keyId, viewer) = await KeyAsync("viewer");

        // a key nobody limited sees every camera, as before groups existed
        Assert.Contains(theirs, Ids(await viewer.GetFromJsonAsync<JsonElement>("api/v1/cameras")));

        var scope = await (await _server.Admin.PutAsJsonAsync($"api/v1/access/keys/{keyId}", new { group_ids = new[] { oldTown } })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal($"key:{keyId}", scope.GetProperty("principal").GetString());
        var listed = Ids(await viewer.GetFromJsonAsync<JsonElement>("api/v1/cameras"));
        Assert.Contains(mine, listed);
        Assert.DoesNotContain(theirs, listed);
        // their camera is also in a group they are not given: that group is not shown, nor found by the filter
        var detail = await viewer.GetFromJsonAsync<JsonElement>($"api/v1/cameras/{mine}");
        Assert.Equal([oldTown], Ids(detail.GetProperty("group_ids")));
        Assert.Equal(new[] { oldTown, airport }.Order(), Ids((await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras/{mine}")).GetProperty("group_ids")).Order());
        await (await viewer.GetAsync($"api/v1/cameras/{theirs}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"api/v1/playback/{theirs}/segments")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"api/v1/storage/segments/{theirs}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var groups = await viewer.GetFromJsonAsync<JsonElement>("api/v1/camera-groups");
        Assert.Equal([oldTown], groups.EnumerateArray().Select(g => g.GetProperty("id").GetGuid()));
        await (await viewer.GetAsync($"api/v1/camera-groups/{airport}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(Ids(await viewer.GetFromJsonAsync<JsonElement>($"api/v1/cameras?group={airport}")));

        Assert.Contains("group_ids", (await (await _server.Admin.PutAsJsonAsync($"api/v1/access/keys/{keyId}", new { group_ids = new[] { Guid.NewGuid() } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        await (await _server.Admin.PutAsJsonAsync($"api/v1/access/keys/{Guid.NewGuid()}", new { group_ids = new[] { oldTown } })).AssertProblemAsync(HttpStatusCode.NotFound);

        // a group taken away leaves the key with no camera; the limit lifted gives it every camera again
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Admin.DeleteAsync($"api/v1/camera-groups/{oldTown}")).StatusCode);
        Assert.Empty(Ids(await viewer.GetFromJsonAsync<JsonElement>("api/v1/cameras")));
        await (await _server.Admin.PutAsJsonAsync($"api/v1/access/keys/{keyId}", new { group_ids = (Guid[]?)null })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Contains(theirs, Ids(await viewer.GetFromJsonAsync<JsonElement>("api/v1/cameras")));

        var scopes = await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/access");
        Assert.DoesNotContain(scopes.EnumerateArray(), s => s.GetProperty("principal").GetString() == $"key:{keyId}");
        await (await viewer.GetAsync("api/v1/access")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<Guid> CameraAsync(string name) =>
        (await (await _server.Admin.PostAsJsonAsync("api/v1/cameras", new { name })).AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private async Task<Guid> GroupAsync(string name, params Guid[] cameras) =>
        (await (await _server.Admin.PostAsJsonAsync("api/v1/camera-groups", new { name, camera_ids = cameras })).AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private async Task<(Guid Id, HttpClient Client)> KeyAsync(string role)
    {
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = $"{role}-{Guid.NewGuid():N}", role })).AssertJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetGuid(), _server.CreateClient(created.GetProperty("key").GetString()));
    }

    private static Guid[] Ids(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? e.GetProperty("id").GetGuid() : e.GetGuid()).ToArray();
}

public sealed class SqliteCameraGroupsApiTests(PostgresServer postgres) : CameraGroupsApiTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresCameraGroupsApiTests(PostgresServer postgres) : CameraGroupsApiTests(DatabaseKind.Postgres, postgres);

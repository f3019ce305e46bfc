using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Cameras;

/// <summary>
/// The camera directory API, on SQLite and on PostgreSQL. Each test reads back only the cameras it made: the tests of a
/// class share one server.
/// </summary>
public abstract class CamerasApiTests(SharedFootageServer shared)
{
    private readonly FootageServer _server = shared.Server;

    [Fact]
    public async Task A_camera_is_created_read_updated_listed_and_deleted_and_its_credentials_never_come_back()
    {
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/cameras", new
        {
            name = "Deira Clocktower North",
            source = "rta-dubai",
            rtsp_url = "rtsp://admin:s3cret@10.1.2.3:554/stream1",
            storage_mode = "BOTH",
            retention_days = 180,
        })).AssertJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("BOTH", created.GetProperty("storage_mode").GetString());
        Assert.DoesNotContain("s3cret", created.GetRawText());
        Assert.DoesNotContain("admin:", created.GetRawText());
        Assert.Contains("10.1.2.3", created.GetProperty("rtsp_url").GetString());

        // a PUT without rtsp_url keeps the stored one (clients never see it, so they cannot send it back)
        var updated = await (await _server.Admin.PutAsJsonAsync($"api/v1/cameras/{id}", new { name = "Deira Clocktower N", source = "rta-dubai", storage_mode = "LOCAL", retention_days = (int?)null }))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("LOCAL", updated.GetProperty("storage_mode").GetString());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("retention_days").ValueKind);
        Assert.Contains("10.1.2.3", updated.GetProperty("rtsp_url").GetString());

        var listed = await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/cameras?source=rta-dubai");
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
        Assert.DoesNotContain("s3cret", listed.GetRawText());

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Admin.DeleteAsync($"api/v1/cameras/{id}")).StatusCode);
        await (await _server.Admin.GetAsync($"api/v1/cameras/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_camera_takes_the_default_storage_mode_and_a_client_chosen_id_once()
    {
        var id = Guid.NewGuid();
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/cameras", new { id, name = "Al Maktoum Bridge" })).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(id, created.GetProperty("id").GetGuid());
        Assert.Equal("LOCAL", created.GetProperty("storage_mode").GetString());
        await (await _server.Admin.PostAsJsonAsync("api/v1/cameras", new { id, name = "again" })).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"x","storage_mode":"CLOUD"}""", "storage_mode")]
    [InlineData("""{"name":"x","rtsp_url":"http://example/stream"}""", "rtsp_url")]
    [InlineData("""{"name":"x","rtsp_url":"file:///etc/passwd"}""", "rtsp_url")]
    [InlineData("""{"name":"x","rtsp_url":"rtmp://camera.example/live"}""", "rtsp_url")]
    [InlineData("""{"name":"x","rtsp_url":"not a url"}""", "rtsp_url")]
    [InlineData("""{"name":"x","retention_days":0}""", "retention_days")]
    [InlineData("""{"name":"x","retention_days":99999999}""", "retention_days")]
    [InlineData("""{"name":"x\u0000y"}""", "name")]
    [InlineData("""{"name":"x","id":"00000000-0000-0000-0000-000000000000"}""", "id")]
    public async Task Invalid_cameras_are_400_naming_the_field(string json, string field)
    {
        var response = await _server.Admin.PostAsync("api/v1/cameras", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Contains(field, (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
    }

    [Fact]
    public async Task Only_admins_configure_cameras_and_viewers_read_them()
    {
        var viewer = await _server.ClientAsync("viewer");
        var operatorClient = await _server.ClientAsync("operator");
        await (await viewer.PostAsJsonAsync("api/v1/cameras", new { name = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await operatorClient.PostAsJsonAsync("api/v1/cameras", new { name = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("api/v1/cameras")).StatusCode);
        await (await viewer.GetAsync("api/v1/cameras/not-a-uuid")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await viewer.GetAsync($"api/v1/cameras/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SqliteCamerasApiTests(SharedSqliteServer server) : CamerasApiTests(server), IClassFixture<SharedSqliteServer>;

public sealed class PostgresCamerasApiTests(SharedPostgresServer server) : CamerasApiTests(server), IClassFixture<SharedPostgresServer>;

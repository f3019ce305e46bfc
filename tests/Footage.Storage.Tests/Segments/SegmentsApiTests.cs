using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Segments;

/// <summary>
/// The segments endpoints, the same tests on SQLite and on PostgreSQL. Each test registers segments of cameras of its own
/// and reads back only those: the tests of a class share one server.
/// </summary>
public abstract class SegmentsApiTests(SharedFootageServer shared)
{
    private readonly FootageServer _server = shared.Server;

    protected FootageServer Server => _server;

    [Fact]
    public async Task A_stored_segment_registers_once_and_the_same_registration_again_is_200_with_the_same_row()
    {
        var camera = Guid.NewGuid();
        var body = await StoreAndDescribeAsync(camera, At(10, 0), At(11, 0), "first");

        var created = await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", body);
        var first = await created.AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/storage/segments/by-id/{first.GetProperty("id").GetGuid()}", created.Headers.Location?.OriginalString);

        var again = await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", body);
        var second = await again.AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());

        var list = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{camera}");
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_different_segment_at_the_same_camera_and_start_is_a_409_naming_the_existing_one()
    {
        var camera = Guid.NewGuid();
        var body = await StoreAndDescribeAsync(camera, At(10, 0), At(11, 0), "original");
        var first = await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", body)).AssertJsonAsync(HttpStatusCode.Created);

        // another recording of that camera and start can only claim the same key, where the original is stored
        var content = Encoding.UTF8.GetBytes("other");
        var other = new
        {
            camera_id = camera, start_time = At(10, 0), end_time = At(10, 30), size_bytes = content.Length,
            checksum = Convert.ToHexStringLower(SHA256.HashData(content)),
        };
        var problem = await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", other)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(first.GetProperty("id").GetGuid(), problem.GetProperty("existing_segment_id").GetGuid());
    }

    [Fact]
    public async Task The_wire_format_uses_the_spec_field_names_and_utc_instants()
    {
        var camera = Guid.NewGuid();
        var body = await StoreAndDescribeAsync(camera, At(10, 0), At(10, 5), "wire");
        var json = await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", body)).Content.ReadAsStringAsync();
        var segment = JsonDocument.Parse(json).RootElement;
        foreach (var field in new[] { "id", "camera_id", "start_time", "end_time", "duration_seconds", "size_bytes", "storage_backend", "storage_path", "checksum", "created_at", "evidence_hold" })
        {
            Assert.True(segment.TryGetProperty(field, out _), $"missing {field} in {json}");
        }

        Assert.Equal("2026-11-20T10:00:00Z", segment.GetProperty("start_time").GetString());
        Assert.Equal(300, segment.GetProperty("duration_seconds").GetInt32());
        Assert.Equal("filesystem", segment.GetProperty("storage_backend").GetString());
    }

    [Fact]
    public async Task Listing_filters_by_overlap_orders_by_start_and_pages_with_a_cursor()
    {
        var camera = Guid.NewGuid();
        for (var hour = 0; hour < 7; hour++)
        {
            var body = await StoreAndDescribeAsync(camera, At(hour, 0), At(hour + 1, 0), $"h{hour}");
            (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", body)).EnsureSuccessStatusCode();
        }

        // 02:30 to 05:30 overlaps the segments starting at 02, 03, 04 and 05
        var from = "2026-11-20T02:30:00Z";
        var to = "2026-11-20T05:30:00Z";
        var starts = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"api/v1/storage/segments/{camera}?from={from}&to={to}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await _server.Admin.GetFromJsonAsync<JsonElement>(url);
            starts.AddRange(page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("start_time").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(["2026-11-20T02:00:00Z", "2026-11-20T03:00:00Z", "2026-11-20T04:00:00Z", "2026-11-20T05:00:00Z"], starts);
        Assert.Equal(2, pages);

        var other = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{Guid.NewGuid()}");
        Assert.Empty(other.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Get_by_id_returns_the_segment_with_its_keyframes_and_content_honours_ranges()
    {
        var camera = Guid.NewGuid();
        var content = Encoding.ASCII.GetBytes(new string('x', 1000));
        var body = await StoreAndDescribeAsync(camera, At(9, 0), At(9, 1), "ranged", content: content, keyframes: [[0, 0], [1000, 376]]);
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", body)).AssertJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        var segment = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/by-id/{id}");
        Assert.Equal(376, segment.GetProperty("keyframes")[1][1].GetInt64());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/storage/segments/by-id/{id}/content");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);
        var partial = await _server.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("bytes 100-199/1000", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal("video/mp2t", partial.Content.Headers.ContentType?.MediaType);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);

        using var past = new HttpRequestMessage(HttpMethod.Get, $"api/v1/storage/segments/by-id/{id}/content");
        past.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(5000, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await _server.Admin.SendAsync(past)).StatusCode);

        var whole = await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{id}/content");
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Deleting_a_segment_removes_the_row_and_the_object()
    {
        var camera = Guid.NewGuid();
        var body = await StoreAndDescribeAsync(camera, At(8, 0), At(9, 0), "doomed");
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", body)).AssertJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var path = created.GetProperty("storage_path").GetString()!;

        var operatorClient = await _server.ClientAsync("operator");
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"api/v1/storage/segments/{id}")).StatusCode);
        await (await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Null(await _server.Get<IStorageBackendRegistry>().Default.StatAsync(StorageBuckets.Recordings, path, CancellationToken.None));
        await (await operatorClient.DeleteAsync($"api/v1/storage/segments/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> InvalidRegistrations => new()
    {
        { """{"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"CHECKSUM"}""", "camera_id" },
        { """{"camera_id":"CAMERA","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"CHECKSUM"}""", "start_time" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T09:00:00Z","size_bytes":1,"checksum":"CHECKSUM"}""", "end_time" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-22T10:00:00Z","size_bytes":1,"checksum":"CHECKSUM"}""", "end_time" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":-5,"checksum":"CHECKSUM"}""", "size_bytes" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"abc"}""", "checksum" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"CHECKSUM","duration_seconds":10}""", "duration_seconds" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"CHECKSUM","storage_backend":"tape"}""", "storage_backend" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"CHECKSUM","storage_path":"../../etc/passwd"}""", "storage_path" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"CHECKSUM","storage_path":"/etc/passwd"}""", "storage_path" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"CHECKSUM","storage_path":"a\\b.ts"}""", "storage_path" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"CHECKSUM","thumbnail_path":"x/../../y.jpg"}""", "thumbnail_path" },
        { """{"camera_id":"CAMERA","start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T11:00:00Z","size_bytes":1,"checksum":"CHECKSUM","keyframes":[[5,10],[1,5]]}""", "keyframes" },
        { """{"camera_id":"CAMERA","start_time":"1970-01-01T00:00:00Z","end_time":"1970-01-01T01:00:00Z","size_bytes":1,"checksum":"CHECKSUM"}""", "start_time" },
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task Every_invalid_field_is_a_400_naming_the_field_and_stores_nothing(string json, string field)
    {
        var camera = Guid.NewGuid();
        json = json.Replace("CAMERA", camera.ToString()).Replace("CHECKSUM", new string('a', 64));
        var response = await _server.Admin.PostAsync("api/v1/storage/segments", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
        var list = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{camera}");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"camera_id": 42}""")]
    [InlineData("""{"camera_id": "not-a-uuid"}""")]
    [InlineData("""{"start_time": "yesterday"}""")]
    [InlineData("""{"start_time": "2026-11-20T10:00:00"}""")]
    [InlineData("""{"size_bytes": "many"}""")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task Malformed_bodies_are_400_problems_never_500(string json)
    {
        var response = await _server.Admin.PostAsync("api/v1/storage/segments", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Registering_an_object_that_was_never_uploaded_is_422()
    {
        var body = new
        {
            camera_id = Guid.NewGuid(), start_time = "2026-11-20T10:00:00Z", end_time = "2026-11-20T11:00:00Z",
            size_bytes = 10, checksum = new string('b', 64),
        };
        await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", body)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("api/v1/storage/segments/not-a-uuid")]
    [InlineData("api/v1/storage/segments/CAMERA?from=tomorrow")]
    [InlineData("api/v1/storage/segments/CAMERA?from=2026-11-20T10:00:00Z&to=2026-11-20T09:00:00Z")]
    [InlineData("api/v1/storage/segments/CAMERA?limit=0")]
    [InlineData("api/v1/storage/segments/CAMERA?limit=100000")]
    [InlineData("api/v1/storage/segments/CAMERA?cursor=garbage!")]
    [InlineData("api/v1/storage/segments/by-id/1234")]
    public async Task Bad_list_and_get_parameters_are_400(string url)
    {
        var response = await _server.Admin.GetAsync(url.Replace("CAMERA", Guid.NewGuid().ToString()));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Roles_are_enforced_viewers_read_operators_write()
    {
        var camera = Guid.NewGuid();
        var body = await StoreAndDescribeAsync(camera, At(12, 0), At(13, 0), "roles");
        var viewer = await _server.ClientAsync("viewer");
        await (await viewer.PostAsJsonAsync("api/v1/storage/segments", body)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var created = await (await (await _server.ClientAsync("operator")).PostAsJsonAsync("api/v1/storage/segments", body)).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"api/v1/storage/segments/{camera}")).StatusCode);
        await (await viewer.DeleteAsync($"api/v1/storage/segments/{created.GetProperty("id").GetGuid()}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _server.CreateClient().GetAsync($"api/v1/storage/segments/{camera}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await _server.CreateClient("ftg_wrong").GetAsync($"api/v1/storage/segments/{camera}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static DateTimeOffset At(int hour, int minute) => new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).AddHours(hour).AddMinutes(minute);

    /// <summary>Uploads an object to the default backend and returns the registration body for it.</summary>
    protected async Task<object> StoreAndDescribeAsync(Guid camera, DateTimeOffset start, DateTimeOffset end, string text, string? path = null, byte[]? content = null, long[][]? keyframes = null)
    {
        content ??= Encoding.UTF8.GetBytes($"segment {camera} {start:O} {text}");
        path ??= ObjectKeys.ForSegment(camera, start);
        var backend = _server.Get<IStorageBackendRegistry>().Default;
        await backend.PutAsync(StorageBuckets.Recordings, path, new MemoryStream(content), null, CancellationToken.None);
        return new
        {
            camera_id = camera,
            start_time = start,
            end_time = end,
            size_bytes = content.Length,
            storage_path = path,
            checksum = Convert.ToHexStringLower(SHA256.HashData(content)),
            keyframes,
        };
    }
}

public sealed class SqliteSegmentsApiTests(SharedSqliteServer server) : SegmentsApiTests(server), IClassFixture<SharedSqliteServer>;

public sealed class PostgresSegmentsApiTests(SharedPostgresServer server) : SegmentsApiTests(server), IClassFixture<SharedPostgresServer>;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Metadata.Tests.Support;
using Footage.Testing;
using Xunit;
using static Footage.Metadata.Tests.Support.MetadataClient;

namespace Footage.Metadata.Tests.Annotations;

/// <summary>Timeline annotations, on SQLite and on PostgreSQL.</summary>
public abstract class AnnotationsApiTests(DatabaseKind database, Hosts hosts) : IClassFixture<Hosts>
{
    private Task<FootageServer> ServerAsync() => hosts.GetAsync(database);

    private static async Task<JsonElement> AnnotateAsync(HttpClient client, Guid segment, int offset, string type, string content) =>
        await (await client.PostAsJsonAsync("api/v1/metadata/annotations", new { segment_id = segment, timestamp_offset = offset, type, content }))
            .AssertJsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task Annotations_come_back_in_time_order_with_wall_clock_instants_for_a_camera_and_range()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var camera = Guid.NewGuid();
        var first = await server.RegisterSegmentAsync(camera, At(10), At(11));
        var second = await server.RegisterSegmentAsync(camera, At(11), At(12));
        var elsewhere = await server.RegisterSegmentAsync(Guid.NewGuid(), At(10), At(11));

        var late = await AnnotateAsync(op, second.Id(), 90_000, "bookmark", "van leaves");
        var early = await AnnotateAsync(op, first.Id(), 1_500, "note", "gate opens");
        var middle = await AnnotateAsync(op, first.Id(), 3_599_000, "event", "alarm");
        await AnnotateAsync(op, elsewhere.Id(), 10, "note", "other camera");

        Assert.Equal("2026-11-20T10:00:01.5Z", early.GetProperty("timestamp").GetString());
        Assert.Equal(1500, early.GetProperty("timestamp_offset").GetInt32());
        Assert.Equal(camera, early.GetProperty("camera_id").GetGuid());
        Assert.StartsWith("operator-", early.GetProperty("user_id").GetString());

        var timeline = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/annotations?camera_id={camera}&from={Iso(At(9))}&to={Iso(At(13))}");
        Assert.Equal([early.Id(), middle.Id(), late.Id()], timeline.GetProperty("items").EnumerateArray().Select(a => a.Id()));

        var narrow = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/annotations?camera_id={camera}&from={Iso(At(10, 30))}&to={Iso(At(11, 1))}");
        Assert.Equal([middle.Id()], narrow.GetProperty("items").EnumerateArray().Select(a => a.Id()));

        var ofSegment = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/annotations?segment_id={first.Id()}&limit=1");
        Assert.Equal([early.Id()], ofSegment.GetProperty("items").EnumerateArray().Select(a => a.Id()));
        Assert.Equal(1, ofSegment.GetProperty("next_offset").GetInt32());

        var one = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/annotations/{late.Id()}");
        Assert.Equal("van leaves", one.GetProperty("content").GetString());
        Assert.Equal("bookmark", one.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Annotations_are_deleted_one_by_one_by_segment_or_by_camera_and_range()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var camera = Guid.NewGuid();
        var first = await server.RegisterSegmentAsync(camera, At(10), At(11));
        var second = await server.RegisterSegmentAsync(camera, At(11), At(12));
        var single = await AnnotateAsync(op, first.Id(), 0, "note", "a");
        await AnnotateAsync(op, first.Id(), 1000, "note", "b");
        await AnnotateAsync(op, second.Id(), 1000, "note", "c");
        await AnnotateAsync(op, second.Id(), 2000, "note", "d");

        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"api/v1/metadata/annotations/{single.Id()}")).StatusCode);
        await (await op.DeleteAsync($"api/v1/metadata/annotations/{single.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.GetAsync($"api/v1/metadata/annotations/{single.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);

        var bySegment = await (await op.DeleteAsync($"api/v1/metadata/annotations?segment_id={first.Id()}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, bySegment.GetProperty("deleted").GetInt32());

        var noRange = await (await op.DeleteAsync($"api/v1/metadata/annotations?camera_id={camera}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("from", noRange.ErrorFields());
        var byRange = await (await op.DeleteAsync($"api/v1/metadata/annotations?camera_id={camera}&from={Iso(At(11))}&to=2026-11-20T11:00:01.5Z"))
            .AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, byRange.GetProperty("deleted").GetInt32());
        var left = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/annotations?camera_id={camera}");
        Assert.Equal(["d"], left.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("content").GetString()));

        // footage deleted from the catalog takes its annotations with it
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"api/v1/storage/segments/{second.Id()}")).StatusCode);
        Assert.Empty((await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/annotations?camera_id={camera}")).GetProperty("items").EnumerateArray());
    }

    public static TheoryData<string, string> InvalidAnnotations => new()
    {
        { """{"timestamp_offset":0,"type":"note","content":"x"}""", "segment_id" },
        { """{"segment_id":"abc","timestamp_offset":0,"type":"note","content":"x"}""", "segment_id" },
        { """{"segment_id":"SEGMENT","type":"note","content":"x"}""", "timestamp_offset" },
        { """{"segment_id":"SEGMENT","timestamp_offset":-1,"type":"note","content":"x"}""", "timestamp_offset" },
        { """{"segment_id":"SEGMENT","timestamp_offset":3600001,"type":"note","content":"x"}""", "timestamp_offset" },
        { """{"segment_id":"SEGMENT","timestamp_offset":0,"content":"x"}""", "type" },
        { """{"segment_id":"SEGMENT","timestamp_offset":0,"type":"note'; DROP TABLE annotations; --","content":"x"}""", "type" },
        { """{"segment_id":"SEGMENT","timestamp_offset":0,"type":"note","content":""}""", "content" },
        { """{"segment_id":"SEGMENT","timestamp_offset":0,"type":"note"}""", "content" },
    };

    [Theory]
    [MemberData(nameof(InvalidAnnotations))]
    public async Task Every_invalid_field_is_a_400_naming_the_field(string json, string field)
    {
        var server = await ServerAsync();
        var segment = await server.RegisterSegmentAsync(Guid.NewGuid(), At(10), At(11));
        var problem = await (await server.Admin.PostAsync("api/v1/metadata/annotations", Json(json.Replace("SEGMENT", segment.Id().ToString()))))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
        var none = await server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/metadata/annotations?segment_id={segment.Id()}");
        Assert.Empty(none.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("api/v1/metadata/annotations", "segment_id")]
    [InlineData("api/v1/metadata/annotations?segment_id=SEGMENT&camera_id=CAMERA", "segment_id")]
    [InlineData("api/v1/metadata/annotations?camera_id=nope", "camera_id")]
    [InlineData("api/v1/metadata/annotations?camera_id=CAMERA&from=yesterday", "from")]
    [InlineData("api/v1/metadata/annotations?camera_id=CAMERA&from=2026-11-20T10:00:00Z&to=2026-11-20T09:00:00Z", "to")]
    [InlineData("api/v1/metadata/annotations?camera_id=CAMERA&limit=5000", "limit")]
    [InlineData("api/v1/metadata/annotations/not-an-id", "id")]
    public async Task Bad_list_parameters_are_400_naming_the_parameter(string url, string field)
    {
        var server = await ServerAsync();
        url = url.Replace("SEGMENT", Guid.NewGuid().ToString()).Replace("CAMERA", Guid.NewGuid().ToString());
        var problem = await (await server.Admin.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
    }

    [Fact]
    public async Task An_unknown_segment_is_404_and_viewers_cannot_write()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var viewer = await server.ClientAsync("viewer");
        await (await op.PostAsJsonAsync("api/v1/metadata/annotations", new { segment_id = Guid.NewGuid(), timestamp_offset = 0, type = "note", content = "x" }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        var segment = await server.RegisterSegmentAsync(Guid.NewGuid(), At(10), At(11));
        await (await viewer.PostAsJsonAsync("api/v1/metadata/annotations", new { segment_id = segment.Id(), timestamp_offset = 0, type = "note", content = "x" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        var created = await AnnotateAsync(op, segment.Id(), 0, "note", "<script>alert(1)</script> ' OR 1=1 --");
        Assert.Equal("<script>alert(1)</script> ' OR 1=1 --", created.GetProperty("content").GetString());
        await (await viewer.DeleteAsync($"api/v1/metadata/annotations/{created.Id()}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"api/v1/metadata/annotations?segment_id={segment.Id()}")).StatusCode);
    }
}

public sealed class SqliteAnnotationsApiTests(Hosts hosts) : AnnotationsApiTests(DatabaseKind.Sqlite, hosts);

public sealed class PostgresAnnotationsApiTests(Hosts hosts) : AnnotationsApiTests(DatabaseKind.Postgres, hosts);

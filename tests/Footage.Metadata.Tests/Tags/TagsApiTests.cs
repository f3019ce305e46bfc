using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Metadata.Tests.Support;
using Footage.Testing;
using Xunit;
using static Footage.Metadata.Tests.Support.MetadataClient;

namespace Footage.Metadata.Tests.Tags;

/// <summary>The tag catalog and tags on segments, the same tests on SQLite and on PostgreSQL.</summary>
public abstract class TagsApiTests(DatabaseKind database, Hosts hosts) : IClassFixture<Hosts>
{
    private Task<FootageServer> ServerAsync() => hosts.GetAsync(database);

    [Fact]
    public async Task A_tag_is_created_listed_renamed_and_deleted()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var name = "fire-" + UniqueWord();
        var response = await op.PostAsJsonAsync("api/v1/metadata/tags", new { name, category = "hazard", color = "#ff8800" });
        var tag = await response.AssertJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/metadata/tags/{tag.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("#FF8800", tag.GetProperty("color").GetString());
        Assert.Equal("hazard", tag.GetProperty("category").GetString());

        var listed = await op.GetFromJsonAsync<JsonElement>("api/v1/metadata/tags?category=hazard&limit=1000");
        Assert.Contains(listed.EnumerateArray(), t => t.GetProperty("name").GetString() == name);

        var renamed = await (await op.PatchJsonAsync($"api/v1/metadata/tags/{tag.Id()}", new { name = name + "-renamed" })).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(name + "-renamed", renamed.GetProperty("name").GetString());
        Assert.Equal("#FF8800", renamed.GetProperty("color").GetString());
        var read = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/tags/{tag.Id()}");
        Assert.Equal(name + "-renamed", read.GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"api/v1/metadata/tags/{tag.Id()}")).StatusCode);
        await (await op.GetAsync($"api/v1/metadata/tags/{tag.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.DeleteAsync($"api/v1/metadata/tags/{tag.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.PatchJsonAsync($"api/v1/metadata/tags/{tag.Id()}", new { name = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_duplicate_name_is_409_on_create_and_on_rename()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var first = UniqueWord();
        var second = UniqueWord();
        await op.CreateTagAsync(first);
        var other = await op.CreateTagAsync(second);

        var duplicate = await (await op.PostAsJsonAsync("api/v1/metadata/tags", new { name = first })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(first, duplicate.GetProperty("detail").GetString());
        await (await op.PatchJsonAsync($"api/v1/metadata/tags/{other.Id()}", new { name = first })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(second, (await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/tags/{other.Id()}")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"   "}""", "name")]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name":"NAME101"}""", "name")]
    [InlineData("""{"name":"bell\u0007"}""", "name")]
    [InlineData("""{"name":"ok","color":"red"}""", "color")]
    [InlineData("""{"name":"ok","color":"#12345"}""", "color")]
    [InlineData("""{"name":"ok","color":"#GGGGGG"}""", "color")]
    [InlineData("""{"name":"ok","category":"CATEGORY51"}""", "category")]
    public async Task Invalid_tag_fields_are_400_naming_the_field(string json, string field)
    {
        var server = await ServerAsync();
        json = json.Replace("NAME101", new string('n', 101)).Replace("CATEGORY51", new string('c', 51));
        var problem = await (await server.Admin.PostAsync("api/v1/metadata/tags", Json(json))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
    }

    [Fact]
    public async Task A_segment_is_tagged_by_id_or_name_once_and_untagged()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var segment = await server.RegisterSegmentAsync(Guid.NewGuid(), At(1), At(2));
        var tag = await op.CreateTagAsync(UniqueWord());
        var other = await op.CreateTagAsync(UniqueWord());
        var url = $"api/v1/metadata/segments/{segment.Id()}/tags";

        var created = await (await op.PostAsJsonAsync(url, new { tag_id = tag.Id() })).AssertJsonAsync(HttpStatusCode.Created);
        Assert.Single(created.EnumerateArray());
        Assert.StartsWith("operator-", created[0].GetProperty("user_id").GetString());
        await (await op.PostAsJsonAsync(url, new { tag_id = tag.Id() })).AssertJsonAsync(HttpStatusCode.OK);
        await (await op.PostAsJsonAsync(url, new { tag_name = other.GetProperty("name").GetString() })).AssertJsonAsync(HttpStatusCode.Created);

        var tags = await op.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(2, tags.GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"{url}/{tag.Id()}")).StatusCode);
        await (await op.DeleteAsync($"{url}/{tag.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var left = await op.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(other.Id(), left.EnumerateArray().Single().GetProperty("tag_id").GetGuid());

        // deleting a tag takes it off every segment
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"api/v1/metadata/tags/{other.Id()}")).StatusCode);
        Assert.Equal(0, (await op.GetFromJsonAsync<JsonElement>(url)).GetArrayLength());
    }

    [Fact]
    public async Task Unknown_segments_and_tags_are_404_and_malformed_ids_400()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var segment = await server.RegisterSegmentAsync(Guid.NewGuid(), At(3), At(4));
        var tag = await op.CreateTagAsync(UniqueWord());

        await (await op.PostAsJsonAsync($"api/v1/metadata/segments/{Guid.NewGuid()}/tags", new { tag_id = tag.Id() })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.PostAsJsonAsync($"api/v1/metadata/segments/{segment.Id()}/tags", new { tag_id = Guid.NewGuid() })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.PostAsJsonAsync($"api/v1/metadata/segments/{segment.Id()}/tags", new { tag_name = "no such tag " + UniqueWord() })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.GetAsync($"api/v1/metadata/segments/{Guid.NewGuid()}/tags")).AssertProblemAsync(HttpStatusCode.NotFound);

        var bad = await (await op.PostAsJsonAsync("api/v1/metadata/segments/not-a-uuid/tags", new { tag_id = tag.Id() })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("id", bad.ErrorFields());
        bad = await (await op.PostAsJsonAsync($"api/v1/metadata/segments/{segment.Id()}/tags", new { tag_id = "1; DROP TABLE tags" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("tag_id", bad.ErrorFields());
        bad = await (await op.PostAsJsonAsync($"api/v1/metadata/segments/{segment.Id()}/tags", new { })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("tag_id", bad.ErrorFields());
        await (await op.DeleteAsync($"api/v1/metadata/segments/{segment.Id()}/tags/xyz")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await op.GetAsync("api/v1/metadata/tags/xyz")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await op.GetAsync("api/v1/metadata/tags?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("x'); DROP TABLE tags; --")]
    [InlineData("\" OR 1=1 --")]
    [InlineData("%' UNION SELECT * FROM custody_log --")]
    public async Task Injection_attempts_are_stored_as_plain_text(string hostile)
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var name = hostile + " " + UniqueWord();
        var tag = await op.CreateTagAsync(name, category: hostile[..Math.Min(hostile.Length, 50)]);
        Assert.Equal(name, (await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/tags/{tag.Id()}")).GetProperty("name").GetString());
        var byCategory = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/tags?limit=1000&category={Uri.EscapeDataString(hostile[..Math.Min(hostile.Length, 50)])}");
        Assert.Contains(byCategory.EnumerateArray(), t => t.GetProperty("name").GetString() == name);
        var segment = await server.RegisterSegmentAsync(Guid.NewGuid(), At(5), At(6));
        await (await op.PostAsJsonAsync($"api/v1/metadata/segments/{segment.Id()}/tags", new { tag_name = name })).AssertJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_metadata_endpoints()
    {
        var server = await ServerAsync();
        var document = await server.CreateClient().GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        foreach (var path in new[]
                 {
                     "/api/v1/metadata/tags", "/api/v1/metadata/segments/{id}/tags", "/api/v1/metadata/annotations", "/api/v1/metadata/search",
                     "/api/v1/metadata/incidents", "/api/v1/metadata/incidents/{id}", "/api/v1/metadata/incidents/{id}/custody/verify",
                 })
        {
            Assert.Contains(path, paths);
        }
    }

    [Fact]
    public async Task Viewers_read_tags_operators_write_them()
    {
        var server = await ServerAsync();
        var viewer = await server.ClientAsync("viewer");
        var op = await server.ClientAsync("operator");
        await (await viewer.PostAsJsonAsync("api/v1/metadata/tags", new { name = UniqueWord() })).AssertProblemAsync(HttpStatusCode.Forbidden);
        var tag = await op.CreateTagAsync(UniqueWord());
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("api/v1/metadata/tags")).StatusCode);
        await (await viewer.DeleteAsync($"api/v1/metadata/tags/{tag.Id()}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.PatchJsonAsync($"api/v1/metadata/tags/{tag.Id()}", new { name = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await server.CreateClient().GetAsync("api/v1/metadata/tags")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class SqliteTagsApiTests(Hosts hosts) : TagsApiTests(DatabaseKind.Sqlite, hosts);

public sealed class PostgresTagsApiTests(Hosts hosts) : TagsApiTests(DatabaseKind.Postgres, hosts);

using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Footage.Core.Cameras;
using Footage.Metadata.Tests.Support;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;
using static Footage.Metadata.Tests.Support.MetadataClient;

namespace Footage.Metadata.Tests.Search;

/// <summary>The search over every kind (incidents, notes, tags, segments) on SQLite and on PostgreSQL, through the API.</summary>
public abstract class UnifiedSearchTests(DatabaseKind database, Hosts hosts) : IClassFixture<Hosts>
{
    private Task<FootageServer> ServerAsync() => hosts.GetAsync(database);

    private static async Task<JsonElement[]> HitsAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>("api/v1/metadata/search?" + query)).GetProperty("items").EnumerateArray().ToArray();

    private static string[] Kinds(JsonElement[] hits) => hits.Select(h => h.GetProperty("kind").GetString()!).ToArray();

    /// <summary>A camera with one segment at 10:00-11:00, a note at 10:03:12 on it, and a tag on it; returns the ids.</summary>
    private static async Task<(Guid Camera, Guid Segment, Guid Note, Guid Tag)> FootageAsync(FootageServer server, HttpClient op, string note, string tagName, string? category)
    {
        var camera = Guid.NewGuid();
        var segment = (await server.RegisterSegmentAsync(camera, At(10), At(11))).Id();
        var annotation = await (await op.PostAsJsonAsync("api/v1/metadata/annotations",
            new { segment_id = segment, timestamp_offset = 192_000, type = "note", content = note })).AssertJsonAsync(HttpStatusCode.Created);
        var tag = await op.CreateTagAsync(tagName, category: category);
        (await op.PostAsJsonAsync($"api/v1/metadata/segments/{segment}/tags", new { tag_id = tag.Id() })).EnsureSuccessStatusCode();
        return (camera, segment, annotation.Id(), tag.Id());
    }

    [Fact]
    public async Task A_note_a_tag_an_incident_and_a_segment_are_each_found_by_their_words_with_the_instant_to_open()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var word = UniqueWord();
        var (camera, segment, note, tag) = await FootageAsync(server, op, $"white van, partial plate K-71 near {word}", UniqueWord(), word);
        var incident = (await op.CreateIncidentAsync(new
        {
            title = $"Van at the {word} gate", description = "Seen twice.", severity = "HIGH", camera_ids = new[] { camera },
            start_time = Iso(At(10, 30)), end_time = Iso(At(10, 45)),
        })).Id();

        var hits = await HitsAsync(op, $"q={word}");
        Assert.Equal(new[] { "annotation", "incident", "segment", "tag" }, Kinds(hits).Order());
        var byKind = hits.ToDictionary(h => h.GetProperty("kind").GetString()!);
        Assert.Equal(note, byKind["annotation"].Id());
        Assert.Equal(Iso(At(10, 3).AddSeconds(12)), Iso(byKind["annotation"].GetProperty("open_at").GetDateTimeOffset()));
        Assert.Equal(camera, byKind["annotation"].GetProperty("camera_id").GetGuid());
        Assert.Equal(segment, byKind["annotation"].GetProperty("segment_id").GetGuid());
        Assert.Equal($"white van, partial plate K-71 near <mark>{word}</mark>", byKind["annotation"].GetProperty("snippet").GetString());
        Assert.Equal(incident, byKind["incident"].Id());
        Assert.Equal(Iso(At(10, 30)), Iso(byKind["incident"].GetProperty("open_at").GetDateTimeOffset()));
        Assert.Equal("HIGH", byKind["incident"].GetProperty("severity").GetString());
        Assert.Equal(segment, byKind["segment"].Id());
        Assert.Equal(Iso(At(10)), Iso(byKind["segment"].GetProperty("open_at").GetDateTimeOffset()));
        Assert.Equal(tag, byKind["tag"].Id());
        Assert.Equal(JsonValueKind.Null, byKind["tag"].GetProperty("open_at").ValueKind);
        Assert.Equal($"<mark>{word}</mark>", byKind["tag"].GetProperty("snippet").GetString());
        // a note and a title weigh more than a category (the tag's, and the segment's through its tag); then the latest footage first
        Assert.Equal(["incident", "annotation", "segment", "tag"], Kinds(hits));
    }

    [Fact]
    public async Task Plates_and_codes_are_found_as_typed_and_phrases_and_prefixes_work()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var word = UniqueWord();
        var (_, _, note, _) = await FootageAsync(server, op, $"{word}: white van, partial plate K-71, driver wore a red cap", UniqueWord(), null);
        var other = (await op.CreateIncidentAsync(new
        {
            title = $"{word} plate AB-123-CD", description = "a van, white, parked", severity = "LOW", camera_ids = new[] { Guid.NewGuid() },
            start_time = Iso(At(12)), end_time = Iso(At(13)),
        })).Id();

        async Task<Guid[]> Found(string text) =>
            (await HitsAsync(op, "kind=annotation,incident&q=" + Uri.EscapeDataString($"{word} {text}"))).Select(h => h.Id()).ToArray();

        Assert.Equal([note], await Found("K-71"));
        Assert.Equal([note], await Found("k71"));
        Assert.Equal([note], await Found("K 71"));
        Assert.Equal([note], await Found("K-7*"));
        Assert.Equal([note], await Found("\"partial plate K-71\""));
        Assert.Empty(await Found("K-72"));
        Assert.Empty(await Found("71-K"));
        Assert.Equal([other], await Found("AB-123-CD"));
        Assert.Equal([other], await Found("ab123cd"));
        Assert.Equal([other], await Found("AB-12*"));
        Assert.Equal([note], await Found("\"white van\""));
        Assert.Equal([note], await Found("\"wore a red\""));
        Assert.Equal(new[] { note, other }.Order(), (await Found("white van")).Order());
        Assert.Equal([other], await Found("van -cap"));
        Assert.Equal(new[] { note, other }.Order(), (await Found("cap or parked")).Order());
        Assert.Equal([note], await Found("driv*"));
        Assert.Equal([note], await Found("drivers"));

        var html = (await HitsAsync(op, "kind=annotation&q=" + Uri.EscapeDataString($"{word} K-71"))).Single().GetProperty("snippet").GetString()!;
        Assert.Contains("plate <mark>K-71</mark>, driver", html);
    }

    [Fact]
    public async Task Filters_apply_to_the_kinds_they_mean_something_for()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var admin = server.Admin;
        var word = UniqueWord();
        var (camera, segment, note, tag) = await FootageAsync(server, op, $"{word} seen by the gate", UniqueWord(), word);
        var incident = (await op.CreateIncidentAsync(new
        {
            title = $"{word} incident", severity = "HIGH", camera_ids = new[] { camera }, start_time = Iso(At(14)), end_time = Iso(At(15)), tags = new[] { "gate" },
        })).Id();
        var elsewhere = await FootageAsync(server, op, $"{word} elsewhere", UniqueWord(), null);

        async Task<Guid[]> Ids(string filters) => (await HitsAsync(admin, $"q={word}&{filters}")).Select(h => h.Id()).Order().ToArray();

        Assert.Equal(new[] { note, elsewhere.Note }.Order(), await Ids("kind=annotation"));
        Assert.Equal(new[] { note, incident }.Order(), await Ids("kind=annotations,incidents&camera_id=" + camera));
        Assert.Equal(new[] { note, segment, tag, incident }.Order(), await Ids("camera_id=" + camera));
        Assert.Equal([incident], await Ids("severity=HIGH"));
        Assert.Equal(new[] { segment, tag, note }.Order(), await Ids($"camera_id={camera}&from={Iso(At(10))}&to={Iso(At(11))}"));
        Assert.Equal([incident], await Ids($"camera_id={camera}&from={Iso(At(13))}&to={Iso(At(16))}"));
        Assert.Empty(await Ids($"kind=tag&camera_id={elsewhere.Camera}"));
        Assert.Equal([incident], await Ids("tag=gate"));
        var author = (await admin.GetFromJsonAsync<JsonElement>($"api/v1/metadata/annotations/{note}")).GetProperty("user_id").GetString();
        Assert.Equal(new[] { note, elsewhere.Note, incident }.Order(), await Ids("created_by=" + author));

        var problem = await (await admin.GetAsync("api/v1/metadata/search?kind=notes")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("kind", problem.ErrorFields());
    }

    [Fact]
    public async Task Pages_follow_the_ranked_order_whether_or_not_the_best_ranked_fill_them()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var word = UniqueWord();
        var camera = Guid.NewGuid();
        var segment = (await server.RegisterSegmentAsync(camera, At(10), At(11))).Id();
        for (var i = 0; i < 5; i++)
        {
            (await op.PostAsJsonAsync("api/v1/metadata/annotations",
                new { segment_id = segment, timestamp_offset = i * 60_000, type = "note", content = $"note {i} about {word}" })).EnsureSuccessStatusCode();
        }

        await op.CreateIncidentAsync(new
        {
            title = "Later incident", description = $"mentions {word}", severity = "LOW", camera_ids = new[] { camera },
            start_time = Iso(At(20)), end_time = Iso(At(21)),
        });

        var all = (await HitsAsync(op, $"q={word}&kind=annotation,incident&limit=50")).Select(h => (h.Id(), h.GetProperty("rank").GetInt32())).ToArray();
        Assert.Equal([10, 10, 10, 10, 10, 4], all.Select(h => h.Item2));
        var paged = new List<(Guid, int)>();
        for (var offset = 0; offset < 6; offset += 2)
        {
            var page = await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?q={word}&kind=annotation,incident&limit=2&offset={offset}");
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(h => (h.Id(), h.GetProperty("rank").GetInt32())));
            int? expected = offset + 2 < 6 ? offset + 2 : null;
            int? next = page.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_offset").GetInt32();
            Assert.Equal(expected, next);
        }

        Assert.Equal(all, paged);
    }

    [Fact]
    public async Task A_caller_finds_only_what_concerns_the_cameras_they_may_see_in_every_kind()
    {
        var visibility = new NamedCallersVisibility();
        await using var server = await FootageServer.StartAsync(database, hosts.Postgres,
            services: s => s.Replace(ServiceDescriptor.Singleton<ICameraVisibility>(visibility)));
        var op = await server.ClientAsync("operator");
        var word = UniqueWord();
        var seen = await FootageAsync(server, op, $"{word} on the seen camera", $"{word}-seen", null);
        var hidden = await FootageAsync(server, op, $"{word} on the hidden camera", $"{word}-hidden", null);
        async Task<Guid> IncidentAsync(params Guid[] cameras) => (await op.CreateIncidentAsync(new
        {
            title = $"{word} incident", severity = "LOW", camera_ids = cameras, start_time = Iso(At(10)), end_time = Iso(At(11)),
        })).Id();
        var both = await IncidentAsync(seen.Camera, hidden.Camera);
        var hiddenIncident = await IncidentAsync(hidden.Camera);

        var key = await (await server.Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = "restricted-viewer", role = "viewer" })).AssertJsonAsync(HttpStatusCode.Created);
        visibility.Cameras["restricted-viewer"] = [seen.Camera];
        var restricted = server.CreateClient(key.GetProperty("key").GetString());

        var everything = await HitsAsync(server.Admin, $"q={word}");
        Assert.Equal(
            new[] { seen.Note, seen.Segment, seen.Tag, hidden.Note, hidden.Segment, hidden.Tag, both, hiddenIncident }.Order(),
            everything.Select(h => h.Id()).Order());
        var mine = await HitsAsync(restricted, $"q={word}");
        Assert.Equal(new[] { seen.Note, seen.Segment, seen.Tag, both }.Order(), mine.Select(h => h.Id()).Order());
        // an incident that covers other cameras too shows only the camera the caller may see
        Assert.Equal([seen.Camera], mine.Single(h => h.Id() == both).GetProperty("camera_ids").EnumerateArray().Select(c => c.GetGuid()));
        foreach (var kind in new[] { "incident", "annotation", "tag", "segment" })
        {
            var ofKind = await HitsAsync(restricted, $"q={word}&kind={kind}");
            Assert.Single(ofKind);
            Assert.Empty(await HitsAsync(restricted, $"kind={kind}&q={word}&camera_id={hidden.Camera}"));
        }
    }

    /// <summary>Callers named in <see cref="Cameras"/> see only those cameras; every other caller sees all.</summary>
    private sealed class NamedCallersVisibility : ICameraVisibility
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<Guid>> Cameras { get; } = new();

        public ValueTask<IReadOnlySet<Guid>?> VisibleCamerasAsync(ClaimsPrincipal caller, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlySet<Guid>?>(Cameras.TryGetValue(caller.Identity?.Name ?? "", out var set) ? set : null);
    }
}

public sealed class SqliteUnifiedSearchTests(Hosts hosts) : UnifiedSearchTests(DatabaseKind.Sqlite, hosts);

public sealed class PostgresUnifiedSearchTests(Hosts hosts) : UnifiedSearchTests(DatabaseKind.Postgres, hosts);

using System.Net;
using System.Net.Http.Json;
using Footage.Metadata.Search.Unified;
using Footage.Metadata.Tests.Support;
using Footage.Testing;
using Xunit;
using static Footage.Metadata.Tests.Support.MetadataClient;

namespace Footage.Metadata.Tests.Search;

/// <summary>
/// The search with tags searched apart and merged returns the very pages of the one statement over every kind it
/// replaced: the same hits, ranks, order, snippets and "more", for pages that start and end among tags and other kinds
/// of equal and different ranks, with and without filters, on both databases.
/// </summary>
public abstract class UnifiedSearchPlanTests(DatabaseKind database, Hosts hosts) : IClassFixture<Hosts>
{
    [Fact]
    public async Task Tags_searched_apart_give_the_pages_of_the_one_statement()
    {
        var server = await hosts.GetAsync(database);
        var op = await server.ClientAsync("operator");
        var word = UniqueWord();
        var other = UniqueWord();
        var cameras = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var segments = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var camera = cameras[i % 2];
            var segment = (await server.RegisterSegmentAsync(camera, At(i), At(i + 1))).Id();
            segments.Add(segment);
            // notes: the word in a note weighs 10, and so does the segment's through its notes only at 2
            var content = i % 3 == 0 ? $"{word} near the gate" : $"{word} and {other} seen";
            (await op.PostAsJsonAsync("api/v1/metadata/annotations",
                new { segment_id = segment, timestamp_offset = i * 1000, type = "note", content })).EnsureSuccessStatusCode();
        }

        // tags of every rank: the word as name (10), as category (4), both words (20 or 14); some on no segment
        for (var i = 0; i < 9; i++)
        {
            var tag = i switch
            {
                < 3 => await op.CreateTagAsync($"{word}-{i}", category: "plain"),
                < 6 => await op.CreateTagAsync($"label{i}-{UniqueWord()}", category: word),
                _ => await op.CreateTagAsync($"{word} {other} {i}", category: null),
            };
            if (i % 4 != 3)
            {
                (await op.PostAsJsonAsync($"api/v1/metadata/segments/{segments[i % segments.Count]}/tags", new { tag_id = tag.Id() })).EnsureSuccessStatusCode();
            }
        }

        // incidents: the word in the title (10), the description (4) or a label (2)
        for (var i = 0; i < 6; i++)
        {
            await op.CreateIncidentAsync(new
            {
                title = i % 3 == 0 ? $"Incident {word}" : $"Incident {i}",
                description = i % 3 == 1 ? $"mentions {word} and {other}" : "nothing",
                tags = i % 3 == 2 ? new[] { word } : [],
                severity = "LOW", camera_ids = new[] { cameras[i % 2] }, start_time = Iso(At(2 * i)), end_time = Iso(At(2 * i + 1)),
            });
        }

        var search = server.Get<UnifiedSearch>();
        UnifiedSearchQuery Text(string text, int limit, int offset) => UnifiedSearchQuery.ForText(text, limit, offset);
        var queries = new List<UnifiedSearchQuery>();
        foreach (var (limit, offset) in new[] { (100, 0), (3, 0), (5, 3), (4, 10), (6, 14), (5, 20), (7, 25), (3, 29), (10, 40) })
        {
            queries.Add(Text(word, limit, offset));
            queries.Add(Text($"{word} {other}", limit, offset));
            queries.Add(Text($"{word} or {other}", limit, offset));
            queries.Add(Text(word, limit, offset) with { CameraIds = [cameras[0]] });
            queries.Add(Text(word, limit, offset) with { CameraIds = [cameras[1]], From = At(3), To = At(9) });
            queries.Add(Text($"{word}*", limit, offset) with { Kinds = [SearchKind.Tag, SearchKind.Segment] });
            queries.Add(Text(word, limit, offset) with { Kinds = [SearchKind.Tag] });
            queries.Add(Text($"{word} -{other}", limit, offset) with { VisibleCameraIds = [cameras[1]] });
            queries.Add(new UnifiedSearchQuery(null, SearchKinds.All, null, null, null, null, [cameras[0]], null, [], [], [], null, null, limit, offset));
        }

        var full = await PageAsync(search, Text(word, 100, 0), UnifiedSearchPlan.TagsApart);
        Assert.True(full.Count > 30, $"only {full.Count} hits");
        // the merge means something only if tags fall between other kinds, by rank
        var kinds = full.Select(h => h.Split(' ')[0]).ToArray();
        Assert.Contains("tag", kinds[..^3]);
        Assert.NotEqual("tag", kinds[^1]);

        var compared = 0;
        foreach (var query in queries)
        {
            var before = await PageAsync(search, query, UnifiedSearchPlan.OneStatement);
            var now = await PageAsync(search, query, UnifiedSearchPlan.TagsApart);
            Assert.True(before.SequenceEqual(now), $"{query}:\n one statement: {string.Join("\n  ", before)}\n tags apart: {string.Join("\n  ", now)}");
            compared += before.Count - 1;
            if (database == DatabaseKind.Postgres)
            {
                // the entries reached newest first or through the filters (what the planner chooses for common words) give the same page
                foreach (var plan in new[] { UnifiedSearchPlan.OneStatement, UnifiedSearchPlan.TagsApart })
                {
                    foreach (var access in new[] { UnifiedTextAccess.NewestFirst, UnifiedTextAccess.Filters })
                    {
                        var elsewhere = await PageAsync(search, query, plan, access);
                        Assert.True(elsewhere.SequenceEqual(now), $"{query} ({plan}, {access}):\n text index: {string.Join("\n  ", now)}\n {access}: {string.Join("\n  ", elsewhere)}");
                    }
                }
            }
        }

        Assert.True(compared > 250, $"only {compared} hits compared");
    }

    private static async Task<List<string>> PageAsync(UnifiedSearch search, UnifiedSearchQuery query, UnifiedSearchPlan plan,
        UnifiedTextAccess access = UnifiedTextAccess.TextIndex)
    {
        var ((items, more), _) = await search.SearchAsync(query, plan, access, CancellationToken.None);
        return [.. items.Select(h => $"{h.Kind.ToString().ToLowerInvariant()} {h.Id} rank={h.Rank} start={h.StartTime:O} cameras={string.Join(',', h.CameraIds)} snippet={h.Snippet}"), $"more={more}"];
    }
}

public sealed class SqliteUnifiedSearchPlanTests(Hosts hosts) : UnifiedSearchPlanTests(DatabaseKind.Sqlite, hosts);

public sealed class PostgresUnifiedSearchPlanTests(Hosts hosts) : UnifiedSearchPlanTests(DatabaseKind.Postgres, hosts);

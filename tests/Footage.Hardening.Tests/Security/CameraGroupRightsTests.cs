using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Footage.Core.Storage;
using Footage.Hardening.Tests.Api;
using Footage.Milestone.Simulator;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>
/// The role matrix's dimension for camera groups: a viewer and an operator limited to group A (by API key and by a bearer
/// token's user) call every operation of the host for a camera of group B, and get what <see cref="ExpectedCameraRights"/>
/// says: 404 for the camera in the route or query, 404 for a segment, export, clip, incident or annotation of it, and lists
/// without it; for the camera of group A they get what a caller without a limit gets.
/// </summary>
public sealed partial class CameraGroupRightsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private MilestoneSimulator _milestone = null!;
    private FootageServer _server = null!;
    private TempFolder _media = null!;

    public async ValueTask InitializeAsync()
    {
        _milestone = await SimulatedMilestone.StartAsync();
        var settings = new Dictionary<string, string?>(BearerTokens.Settings.Concat(SimulatedMilestone.Settings(_milestone)));
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: settings);
        _media = new TempFolder("footage-group-rights");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _milestone.DisposeAsync();
        _media.Dispose();
    }

    [Fact]
    public async Task Every_operation_has_a_group_rule_and_a_camera_of_another_group_in_its_route_or_query_is_not_found()
    {
        var surface = await ApiSurface.ReadAsync(_server.CreateClient());
        var keys = surface.Operations.Select(o => ExpectedRoles.Normalise(o.Key)).ToHashSet(StringComparer.Ordinal);
        var missing = keys.Where(k => !ExpectedCameraRights.ByOperation.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "these endpoints have no rule in ExpectedCameraRights (decide what a caller limited to camera groups gets):\n" + string.Join("\n", missing));
        var stale = ExpectedCameraRights.ByOperation.Keys.Where(k => !keys.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        Assert.True(stale.Length == 0, "ExpectedCameraRights lists operations the host does not document:\n" + string.Join("\n", stale));
        var routeNotInRule = keys.Where(k => k.Contains("{camera_id}", StringComparison.Ordinal) && ExpectedCameraRights.ByOperation[k] != ExpectedCameraRights.InRoute).ToArray();
        Assert.True(routeNotInRule.Length == 0, "a camera in the route is always checked at the door:\n" + string.Join("\n", routeNotInRule));

        var world = await WorldAsync();
        var wrong = new List<string>();
        var checks = 0;
        foreach (var operation in surface.Operations)
        {
            var key = ExpectedRoles.Normalise(operation.Key);
            var rule = ExpectedCameraRights.ByOperation[key];
            var role = ExpectedRoles.ByOperation[key];
            if (rule is not (ExpectedCameraRights.InRoute or ExpectedCameraRights.InQuery) || role is not (ExpectedRoles.Viewer or ExpectedRoles.Operator))
            {
                continue;
            }

            var (limited, full) = role == ExpectedRoles.Viewer ? (world.LimitedViewer, world.FullViewer) : (world.LimitedOperator, world.FullOperator);
            var callers = role == ExpectedRoles.Viewer ? new[] { ("limited viewer key", limited), ("limited viewer token", world.LimitedUser) } : [("limited operator key", limited)];
            foreach (var (name, client) in callers)
            {
                checks++;
                using var theirs = await client.SendAsync(Request(operation, rule, world.CameraB, world.SegmentB));
                var status = (int)theirs.StatusCode;
                var body = await theirs.Content.ReadAsStringAsync();
                if (status != 404 || (operation.Method != "HEAD" && !body.Contains($"Camera {world.CameraB} was not found", StringComparison.Ordinal)))
                {
                    wrong.Add($"{key} by a {name} for a camera of another group: {status} {Shorten(body)} (expected 404 naming the camera)");
                }

                using var mine = await client.SendAsync(Request(operation, rule, world.CameraA, world.SegmentA));
                using var unlimited = await full.SendAsync(Request(operation, rule, world.CameraA, world.SegmentA));
                if (mine.StatusCode != unlimited.StatusCode)
                {
                    wrong.Add($"{key} by a {name} for a camera of its own group: {(int)mine.StatusCode}, but {(int)unlimited.StatusCode} for a caller without a limit");
                }
            }
        }

        output.WriteLine($"{checks} camera-scoped checks by route or query; wrong: {wrong.Count}");
        Assert.True(checks > 25, $"only {checks} operations name a camera in their route or query");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Segments_annotations_incidents_search_exports_clips_and_lists_of_another_group_are_not_found_or_left_out()
    {
        var w = await WorldAsync();
        var viewer = w.LimitedViewer;
        var op = w.LimitedOperator;

        // cameras, recording status and Milestone's cameras: only group A's
        Assert.Equal([w.CameraA], Ids(await viewer.GetFromJsonAsync<JsonElement>("api/v1/cameras")));
        Assert.Equal([w.CameraA], Ids(await w.LimitedUser.GetFromJsonAsync<JsonElement>("api/v1/cameras")));
        await (await viewer.GetAsync($"api/v1/cameras/{w.CameraB}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var statuses = (await viewer.GetFromJsonAsync<JsonElement>("api/v1/recording/status")).GetProperty("cameras").EnumerateArray().Select(c => c.GetProperty("camera_id").GetGuid()).ToArray();
        Assert.Equal([w.CameraA], statuses);
        Assert.Equal(0, (await viewer.GetFromJsonAsync<JsonElement>("api/v1/milestone/cameras")).GetArrayLength());
        Assert.True((await w.FullViewer.GetFromJsonAsync<JsonElement>("api/v1/milestone/cameras")).GetArrayLength() > 0);
        await (await op.PostAsync("api/v1/milestone/sync", null)).AssertProblemAsync(HttpStatusCode.Forbidden);

        // a segment of group B is not found whichever way it is reached
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"api/v1/storage/segments/by-id/{w.SegmentA}")).StatusCode);
        await (await viewer.GetAsync($"api/v1/storage/segments/by-id/{w.SegmentB}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"api/v1/storage/segments/by-id/{w.SegmentB}/content")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.DeleteAsync($"api/v1/storage/segments/{w.SegmentB}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"api/v1/metadata/segments/{w.SegmentB}/tags")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.PostAsJsonAsync($"api/v1/metadata/segments/{w.SegmentB}/tags", new { tag_name = "seen" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.DeleteAsync($"api/v1/metadata/segments/{w.SegmentB}/tags/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.PostAsJsonAsync("api/v1/storage/segments", w.RegistrationB)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync("api/v1/storage/segments", w.RegistrationA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{w.SegmentB}")).StatusCode);

        // annotations of group B's footage
        var note = await IdAsync(_server.Admin.PostAsJsonAsync("api/v1/metadata/annotations", new { segment_id = w.SegmentB, timestamp_offset = 1, type = "note", content = "van at the pier" }));
        await (await viewer.GetAsync($"api/v1/metadata/annotations/{note}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.DeleteAsync($"api/v1/metadata/annotations/{note}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await viewer.GetFromJsonAsync<JsonElement>($"api/v1/metadata/annotations?segment_id={w.SegmentB}")).GetProperty("items").GetArrayLength());
        await (await op.PostAsJsonAsync("api/v1/metadata/annotations", new { segment_id = w.SegmentB, timestamp_offset = 1, type = "note", content = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.GetAsync($"api/v1/metadata/annotations/{note}")).StatusCode);

        // incidents: one of both cameras shows only group A's camera; one of group B's camera alone is not found
        var marker = $"pier{Guid.NewGuid():N}"[..16];
        var both = await IdAsync(_server.Admin.PostAsJsonAsync("api/v1/metadata/incidents", new
        {
            title = $"Fight on the {marker}", severity = "high", camera_ids = new[] { w.CameraA, w.CameraB }, start_time = w.Start, end_time = w.End,
        }));
        var onlyB = await IdAsync(_server.Admin.PostAsJsonAsync("api/v1/metadata/incidents", new
        {
            title = $"Theft on the {marker}", severity = "low", camera_ids = new[] { w.CameraB }, start_time = w.Start, end_time = w.End,
        }));
        var shown = await viewer.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents/{both}");
        Assert.Equal([w.CameraA], Ids(shown.GetProperty("camera_ids")));
        await (await viewer.GetAsync($"api/v1/metadata/incidents/{onlyB}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"api/v1/metadata/incidents/{onlyB}/custody")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"api/v1/metadata/incidents/{both}/custody")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await viewer.GetAsync($"api/v1/metadata/incidents/{both}/custody/verify")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await op.PatchAsJsonAsync($"api/v1/metadata/incidents/{both}", new { title = "renamed" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await op.PatchAsJsonAsync($"api/v1/metadata/incidents/{onlyB}", new { title = "renamed" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await op.PostAsJsonAsync("api/v1/metadata/incidents", new
        {
            title = "Mine and theirs", severity = "low", camera_ids = new[] { w.CameraA, w.CameraB }, start_time = w.Start, end_time = w.End,
        })).AssertProblemAsync(HttpStatusCode.NotFound);
        var mine = await IdAsync(op.PostAsJsonAsync("api/v1/metadata/incidents", new
        {
            title = $"Lost child on the {marker}", severity = "low", camera_ids = new[] { w.CameraA }, start_time = w.Start, end_time = w.End,
        }));
        Assert.Equal(HttpStatusCode.OK, (await op.PatchAsJsonAsync($"api/v1/metadata/incidents/{mine}", new { severity = "medium" })).StatusCode);
        await (await op.PatchAsJsonAsync($"api/v1/metadata/incidents/{mine}", new { camera_ids = new[] { w.CameraA, w.CameraB } })).AssertProblemAsync(HttpStatusCode.NotFound);

        var listed = (await viewer.GetFromJsonAsync<JsonElement>("api/v1/metadata/incidents?limit=100")).GetProperty("items").EnumerateArray()
            .Select(h => h.GetProperty("incident")).ToArray();
        Assert.Contains(listed, i => i.GetProperty("id").GetGuid() == both && Ids(i.GetProperty("camera_ids")).SequenceEqual([w.CameraA]));
        Assert.DoesNotContain(listed, i => i.GetProperty("id").GetGuid() == onlyB);

        // the search finds only what concerns group A, whatever it is asked
        var hits = (await viewer.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?q={marker}")).GetProperty("items").EnumerateArray().ToArray();
        Assert.Contains(hits, h => h.GetProperty("id").GetGuid() == both && Ids(h.GetProperty("camera_ids")).SequenceEqual([w.CameraA]));
        Assert.DoesNotContain(hits, h => h.GetProperty("id").GetGuid() == onlyB);
        Assert.Contains((await w.FullViewer.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?q={marker}")).GetProperty("items").EnumerateArray(),
            h => h.GetProperty("id").GetGuid() == onlyB);
        var oldStyle = (await viewer.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?type=incidents&q={marker}")).GetProperty("items").EnumerateArray()
            .Select(h => h.GetProperty("incident").GetProperty("id").GetGuid()).ToArray();
        Assert.Contains(both, oldStyle);
        Assert.DoesNotContain(onlyB, oldStyle);
        var range = $"from={Uri.EscapeDataString(w.Start.ToString("O"))}&to={Uri.EscapeDataString(w.End.ToString("O"))}";
        var segmentHits = (await viewer.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?type=segments&{range}")).GetProperty("items").EnumerateArray()
            .Select(s => s.GetProperty("camera_id").GetGuid()).ToArray();
        Assert.Contains(w.CameraA, segmentHits);
        Assert.DoesNotContain(w.CameraB, segmentHits);
        await (await viewer.GetAsync($"api/v1/metadata/search?q={marker}&camera_id={w.CameraB}")).AssertProblemAsync(HttpStatusCode.NotFound);

        // exports and clips hold every camera's footage: another group's camera in one makes it not found
        await (await op.PostAsJsonAsync("api/v1/storage/exports", new { camera_ids = new[] { w.CameraA, w.CameraB }, start_time = w.Start, end_time = w.End }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        var export = await IdAsync(_server.Admin.PostAsJsonAsync("api/v1/storage/exports", new { camera_ids = new[] { w.CameraB }, start_time = w.Start, end_time = w.End, reason = "police" }));
        await (await viewer.GetAsync($"api/v1/storage/exports/{export}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"api/v1/storage/exports/{export}/download")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await viewer.GetFromJsonAsync<JsonElement>("api/v1/storage/exports")).EnumerateArray(), e => e.GetProperty("id").GetGuid() == export);
        Assert.Contains((await w.FullViewer.GetFromJsonAsync<JsonElement>("api/v1/storage/exports")).EnumerateArray(), e => e.GetProperty("id").GetGuid() == export);

        await (await op.PostAsJsonAsync("api/v1/storage/clips", new { incident_id = both, reason = "court" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await op.PostAsJsonAsync("api/v1/storage/clips", new { incident_id = onlyB, reason = "court" })).AssertProblemAsync(HttpStatusCode.NotFound);
        var clip = await IdAsync(_server.Admin.PostAsJsonAsync("api/v1/storage/clips", new { incident_id = onlyB, reason = "court" }));
        await (await viewer.GetAsync($"api/v1/storage/clips/{clip}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"api/v1/storage/clips/{clip}/download")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await viewer.GetFromJsonAsync<JsonElement>($"api/v1/storage/clips?incident_id={onlyB}")).GetArrayLength());
        Assert.Equal(1, (await w.FullViewer.GetFromJsonAsync<JsonElement>($"api/v1/storage/clips?incident_id={onlyB}")).GetArrayLength());
    }

    private async Task<World> WorldAsync()
    {
        var admin = _server.Admin;
        var start = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero).AddMinutes(Random.Shared.Next(0, 10_000));
        var cameraA = await IdAsync(admin.PostAsJsonAsync("api/v1/cameras", new { name = $"Group A gate {Guid.NewGuid():N}" }));
        var cameraB = await IdAsync(admin.PostAsJsonAsync("api/v1/cameras", new { name = $"Group B pier {Guid.NewGuid():N}" }));
        var groupA = await IdAsync(admin.PostAsJsonAsync("api/v1/camera-groups", new { name = $"A {Guid.NewGuid():N}", camera_ids = new[] { cameraA } }));
        await IdAsync(admin.PostAsJsonAsync("api/v1/camera-groups", new { name = $"B {Guid.NewGuid():N}", camera_ids = new[] { cameraB } }));
        var (segmentA, registrationA, end) = await SegmentAsync(cameraA, start);
        var (segmentB, registrationB, _) = await SegmentAsync(cameraB, start);

        var limitedViewer = await LimitedKeyAsync("viewer", groupA);
        var limitedOperator = await LimitedKeyAsync("operator", groupA);
        var user = $"lena.limited.{Guid.NewGuid():N}";
        (await admin.PutAsJsonAsync($"api/v1/access/users/{user}", new { group_ids = new[] { groupA } })).EnsureSuccessStatusCode();
        return new World(cameraA, cameraB, segmentA, segmentB, registrationA, registrationB, start, end, limitedViewer, limitedOperator,
            BearerTokens.Client(_server, BearerTokens.Mint(user, "viewer")), await _server.ClientAsync("viewer"), await _server.ClientAsync("operator"));
    }

    private async Task<HttpClient> LimitedKeyAsync(string role, Guid group)
    {
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = $"{role}-limited-{Guid.NewGuid():N}", role })).AssertJsonAsync(HttpStatusCode.Created);
        (await _server.Admin.PutAsJsonAsync($"api/v1/access/keys/{created.GetProperty("id").GetGuid()}", new { group_ids = new[] { group } })).EnsureSuccessStatusCode();
        return _server.CreateClient(created.GetProperty("key").GetString());
    }

    /// <summary>A real recorded segment of the camera, stored and registered as a recorder does.</summary>
    private async Task<(Guid Id, object Registration, DateTimeOffset End)> SegmentAsync(Guid camera, DateTimeOffset start)
    {
        var file = await TestMedia.MakeTsAsync(Path.Combine(_media.Path, $"{camera:N}.ts"), 4);
        var end = start.AddSeconds(await TestMedia.ProbeDurationAsync(file));
        var bytes = await File.ReadAllBytesAsync(file);
        var key = ObjectKeys.ForSegment(camera, start);
        await _server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), null, CancellationToken.None);
        var registration = new
        {
            camera_id = camera, start_time = start, end_time = end, size_bytes = bytes.Length, storage_path = key,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)), keyframes = await TestMedia.KeyframesAsync(file),
        };
        return (await IdAsync(_server.Admin.PostAsJsonAsync("api/v1/storage/segments", registration)), registration, end);
    }

    /// <summary>The operation for one camera: its camera in the route or the query, a segment of it where the route names one, fresh ids elsewhere, an empty object as body.</summary>
    private static HttpRequestMessage Request(ApiOperation operation, string rule, Guid camera, Guid segment)
    {
        var path = PathParameter().Replace(operation.PathTemplate, m => m.Groups[1].Value switch
        {
            "camera_id" => camera.ToString(),
            "segment_id" => segment.ToString(),
            _ => Guid.NewGuid().ToString(),
        });
        if (rule == ExpectedCameraRights.InQuery)
        {
            path += $"?camera_id={camera}";
        }

        var request = new HttpRequestMessage(new HttpMethod(operation.Method), path.TrimStart('/'));
        if (operation.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return request;
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex PathParameter();

    private static async Task<Guid> IdAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private static Guid[] Ids(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? e.GetProperty("id").GetGuid() : e.GetGuid()).ToArray();

    private static string Shorten(string body) => body.Length > 200 ? body[..200] : body;

    private sealed record World(
        Guid CameraA, Guid CameraB, Guid SegmentA, Guid SegmentB, object RegistrationA, object RegistrationB, DateTimeOffset Start, DateTimeOffset End,
        HttpClient LimitedViewer, HttpClient LimitedOperator, HttpClient LimitedUser, HttpClient FullViewer, HttpClient FullOperator);
}

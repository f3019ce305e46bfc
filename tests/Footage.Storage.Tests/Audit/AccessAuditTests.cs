using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Storage.Tests.Clips;
using Footage.Storage.Tests.Exports;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Audit;

/// <summary>
/// Who watched what: playlists, downloads (of a range or of a stored segment), exports and clips are audit entries naming the person, the camera and the range,
/// listed for admins by camera and range; a live player's refreshes are one viewing; on SQLite and PostgreSQL.
/// </summary>
public abstract class AccessAuditTests(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(database, postgres);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Playback_downloads_segment_reads_exports_and_clips_are_each_recorded_with_the_person_the_camera_and_the_range()
    {
        var camera = Guid.NewGuid();
        var other = Guid.NewGuid();
        var t0 = Backends.StoredSegments.Now().AddHours(-1);
        var stored = await RecordedFootage.RecordAsync(_server, camera, t0, count: 3, keyframes: true);
        await RecordedFootage.RecordAsync(_server, other, t0, count: 1);
        var viewer = await _server.ClientAsync("viewer");
        var op = await _server.ClientAsync("operator");
        var viewerName = await NameAsync(viewer);
        var operatorName = await NameAsync(op);

        // a recorded playlist and its media: one entry, however many chunks are fetched
        var playlist = await viewer.GetStringAsync($"api/v1/playback/{camera}/hls?from={Iso(t0)}&to={Iso(t0.AddSeconds(8))}");
        var media = playlist.Split('\n').Where(l => l.StartsWith("m/", StringComparison.Ordinal)).Distinct().ToArray(); // under the signed media folder
        Assert.NotEmpty(media);
        foreach (var link in media)
        {
            Assert.Equal(HttpStatusCode.OK, (await _server.CreateClient().GetAsync($"api/v1/playback/{camera}/{link}")).StatusCode);
        }

        await (await viewer.GetAsync($"api/v1/playback/{camera}/hls?from={Iso(t0.AddDays(-3))}&to={Iso(t0.AddDays(-3).AddMinutes(1))}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var mp4 = await viewer.GetAsync($"api/v1/playback/download?camera_id={camera}&from={Iso(t0.AddSeconds(2))}&to={Iso(t0.AddSeconds(6))}");
        Assert.Equal(HttpStatusCode.OK, mp4.StatusCode);
        await mp4.Content.ReadAsByteArrayAsync();

        // stored segments' own bytes: the last one whole, then by a byte range, then the one before it: one viewing of
        // three requests covering both; an unknown segment is a 404 and no entry
        foreach (var (index, range) in new[] { (2, (long?)null), (2, 100L), (1, null) })
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, $"api/v1/storage/segments/by-id/{stored[index].GetProperty("id").GetGuid()}/content");
            if (range is { } offset)
            {
                read.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(offset, null);
            }

            var segment = await viewer.SendAsync(read);
            Assert.Equal(range is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent, segment.StatusCode);
            await segment.Content.ReadAsByteArrayAsync();
        }

        await (await viewer.GetAsync($"api/v1/storage/segments/by-id/{Guid.NewGuid()}/content")).AssertProblemAsync(HttpStatusCode.NotFound);

        var exportId = await RecordedFootage.CreateExportAsync(op, new { camera_ids = new[] { camera, other }, start_time = t0, end_time = t0.AddSeconds(4) });
        var export = await RecordedFootage.WaitUntilFinishedAsync(op, exportId);
        Assert.Equal(HttpStatusCode.OK, (await _server.CreateClient().GetAsync(export.GetProperty("download_url").GetString())).StatusCode);

        var incident = await IncidentClips.CreateIncidentAsync(op, [camera], t0.AddSeconds(4), t0.AddSeconds(8));
        var clipId = (await IncidentClips.CreateClipAsync(op, incident, margin: 1)).GetProperty("id").GetGuid();
        Assert.Equal("COMPLETED", (await IncidentClips.WaitUntilFinishedAsync(op, clipId)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"api/v1/storage/clips/{clipId}/download")).StatusCode);

        var entries = await AccessAsync($"camera_id={camera}");
        var expected = new (string Access, string Actor, DateTimeOffset From, DateTimeOffset To)[]
        {
            ("clip_download", viewerName, t0.AddSeconds(3), t0.AddSeconds(9)),
            ("clip", operatorName, t0.AddSeconds(3), t0.AddSeconds(9)),
            ("export_download", $"{operatorName} via signed link", t0, t0.AddSeconds(4)),
            ("export", operatorName, t0, t0.AddSeconds(4)),
            ("segment_download", viewerName, t0.AddSeconds(RecordedFootage.SegmentSeconds), t0.AddSeconds(3 * RecordedFootage.SegmentSeconds)),
            ("download", viewerName, t0.AddSeconds(2), t0.AddSeconds(6)),
            ("playback", viewerName, t0, t0.AddSeconds(8)),
        };
        Assert.Equal(expected.Select(e => (e.Access, e.Actor, Iso(e.From), Iso(e.To))),
            entries.Select(e => (e.GetProperty("access").GetString()!, e.GetProperty("actor").GetString()!, Iso(e.GetProperty("from").GetDateTimeOffset()), Iso(e.GetProperty("to").GetDateTimeOffset()))));
        Assert.All(entries, e => Assert.Equal(camera, e.GetProperty("camera_id").GetGuid()));
        Assert.Equal(["viewer", "operator", null, "operator", "viewer", "viewer", "viewer"], entries.Select(e => e.GetProperty("role").GetString()));
        Assert.Equal($"/api/v1/playback/{camera}/hls", entries[^1].GetProperty("path").GetString());
        Assert.Equal(1, entries[^1].GetProperty("requests").GetInt32());
        Assert.Equal(3, entries.Single(e => e.GetProperty("access").GetString() == "segment_download").GetProperty("requests").GetInt32());

        // the other camera of the export has its own entries; by range, only what overlaps it
        Assert.Equal(["export_download", "export"], (await AccessAsync($"camera_id={other}")).Select(e => e.GetProperty("access").GetString()));
        Assert.Equal(["clip_download", "clip", "segment_download", "download", "playback"],
            (await AccessAsync($"camera_id={camera}&from={Iso(t0.AddSeconds(5))}&to={Iso(t0.AddSeconds(6))}")).Select(e => e.GetProperty("access").GetString()));
        Assert.Empty(await AccessAsync($"camera_id={camera}&from={Iso(t0.AddSeconds(20))}&to={Iso(t0.AddSeconds(30))}"));
        Assert.Equal(["download", "playback"], (await AccessAsync($"camera_id={camera}&actor={viewerName}&from={Iso(t0)}&to={Iso(t0.AddSeconds(8))}"))
            .Where(e => e.GetProperty("access").GetString() is "download" or "playback").Select(e => e.GetProperty("access").GetString()));
        Assert.Equal(["playback"], (await AccessAsync($"camera_id={camera}&access=playback")).Select(e => e.GetProperty("access").GetString()));

        // only admins read it, and bad filters are named
        await (await viewer.GetAsync($"api/v1/audit/access?camera_id={camera}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await op.GetAsync($"api/v1/audit/access?camera_id={camera}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("camera_id", (await (await _server.Admin.GetAsync("api/v1/audit/access?camera_id=nope")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("to", (await (await _server.Admin.GetAsync($"api/v1/audit/access?from={Iso(t0)}&to={Iso(t0)}")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("access", (await (await _server.Admin.GetAsync("api/v1/audit/access?access=peeked")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
    }

    [Fact]
    public async Task A_live_player_refreshing_its_playlist_is_one_viewing_whose_range_grows_and_another_range_is_another()
    {
        var camera = Guid.NewGuid();
        var now = Backends.StoredSegments.Now();
        await RecordedFootage.RecordAsync(_server, camera, now.AddHours(-1), count: 1, keyframes: true);
        await RecordedFootage.RecordAsync(_server, camera, now.AddSeconds(-12), count: 3, keyframes: true);
        var viewer = await _server.ClientAsync("viewer");
        var from = now.AddSeconds(-30);

        const int refreshes = 6;
        for (var i = 0; i < refreshes; i++)
        {
            var live = await viewer.GetAsync($"api/v1/playback/{camera}/hls?from={Iso(from)}");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.DoesNotContain("#EXT-X-ENDLIST", await live.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the live edge
            await Task.Delay(250);
        }

        var last = TimeProvider.System.GetUtcNow();
        var viewing = Assert.Single(await AccessAsync($"camera_id={camera}"));
        Assert.Equal(refreshes, viewing.GetProperty("requests").GetInt32());
        Assert.Equal(Iso(from), Iso(viewing.GetProperty("from").GetDateTimeOffset()));
        Assert.InRange(viewing.GetProperty("to").GetDateTimeOffset(), last.AddSeconds(-3), last.AddSeconds(1)); // up to the last refresh's now
        Assert.True(viewing.GetProperty("last_at").GetDateTimeOffset() > viewing.GetProperty("occurred_at").GetDateTimeOffset());

        // a recorded range overlapping the viewing joins it; one that does not touch it is a new viewing; another person's is theirs
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"api/v1/playback/{camera}/hls?from={Iso(now.AddSeconds(-40))}&to={Iso(now.AddSeconds(-8))}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"api/v1/playback/{camera}/hls?from={Iso(now.AddHours(-1))}&to={Iso(now.AddHours(-1).AddSeconds(4))}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.GetAsync($"api/v1/playback/{camera}/hls?from={Iso(from)}")).StatusCode);

        var entries = await AccessAsync($"camera_id={camera}");
        Assert.Equal(3, entries.Length);
        var joined = entries.Single(e => e.GetProperty("id").GetGuid() == viewing.GetProperty("id").GetGuid());
        Assert.Equal(refreshes + 1, joined.GetProperty("requests").GetInt32());
        Assert.Equal(Iso(now.AddSeconds(-40)), Iso(joined.GetProperty("from").GetDateTimeOffset()));
        var earlier = entries.Single(e => e.GetProperty("from").GetDateTimeOffset() < now.AddMinutes(-30));
        Assert.Equal((1, Iso(now.AddHours(-1).AddSeconds(4))), (earlier.GetProperty("requests").GetInt32(), Iso(earlier.GetProperty("to").GetDateTimeOffset())));
        Assert.Equal(1, entries.Single(e => e.GetProperty("actor").GetString() == "admin").GetProperty("requests").GetInt32());

        // the live edge asked without a range (as the UI and shared links do) is a viewing of the live window
        var operatorClient = await _server.ClientAsync("operator");
        var askedAt = TimeProvider.System.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync($"api/v1/playback/{camera}/hls")).StatusCode);
        var operatorName = await NameAsync(operatorClient);
        var window = (await AccessAsync($"camera_id={camera}")).Single(e => e.GetProperty("actor").GetString() == operatorName);
        Assert.InRange(window.GetProperty("from").GetDateTimeOffset(), askedAt.AddMinutes(-2).AddSeconds(-5), askedAt.AddMinutes(-2).AddSeconds(5));
    }

    private async Task<JsonElement[]> AccessAsync(string query) =>
        (await (await _server.Admin.GetAsync($"api/v1/audit/access?{query}")).AssertJsonAsync(HttpStatusCode.OK)).EnumerateArray().ToArray();

    private static async Task<string> NameAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("api/v1/auth/me")).GetProperty("name").GetString()!;

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class SqliteAccessAuditTests(PostgresServer postgres) : AccessAuditTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresAccessAuditTests(PostgresServer postgres) : AccessAuditTests(DatabaseKind.Postgres, postgres);

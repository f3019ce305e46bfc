using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;

namespace Footage.Server.Tests;

/// <summary>
/// The four modules as four hosts on their own ports (as the compose file runs them), sharing one PostgreSQL catalog and
/// one storage root and one Valkey: the recorder and playback reach Storage only over HTTP.
/// </summary>
public sealed class SplitModeTests(PostgresServer postgres, RedisServer valkey) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempFolder _objects = new("footage-split-objects");
    private CameraSimulator? _cameras;
    private FootageServer? _storage;
    private FootageServer? _recording;
    private FootageServer? _metadata;
    private FootageServer? _playback;

    public async ValueTask InitializeAsync()
    {
        _cameras = await CameraSimulator.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        _storage = await StartAsync("storage", database, null);
        _recording = await StartAsync("recording", database, _storage);
        _metadata = await StartAsync("metadata", database, _storage);
        _playback = await StartAsync("playback", database, _storage, _recording);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in new[] { _playback, _metadata, _recording, _storage })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (_cameras is not null)
        {
            await _cameras.DisposeAsync();
        }

        _objects.Dispose();
    }

    private async Task<FootageServer> StartAsync(string module, string database, FootageServer? storage, FootageServer? recording = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Footage:Modules"] = module,
            ["Footage:Database:Provider"] = "postgresql",
            ["Footage:Database:ConnectionString"] = database,
            ["Footage:Storage:Filesystem:Root"] = _objects.Path,
            ["Footage:Auth:LinkSigningKey"] = "split-mode-test-link-signing-key-0123456789",
            ["Footage:StorageService:BaseUrl"] = storage?.BaseAddress.ToString(),
            ["Footage:StorageService:ApiKey"] = storage is null ? null : FootageServer.AdminKey,
            ["Footage:StorageService:AttemptTimeout"] = "00:00:05",
            ["Footage:StorageService:Timeout"] = "00:00:20",
            ["Footage:Playback:Redis"] = valkey.Configuration,
            ["Footage:Playback:RecordingService:BaseUrl"] = recording?.BaseAddress.ToString(),
            ["Footage:Playback:RecordingService:ApiKey"] = recording is null ? null : FootageServer.AdminKey,
            ["Footage:Recording:SegmentSeconds"] = "2",
            ["Footage:Recording:StallTimeout"] = "00:00:03",
            ["Footage:Recording:StartTimeout"] = "00:00:10",
            ["Footage:Recording:UploadBackoffMax"] = "00:00:01",
            ["Footage:Recording:PollInterval"] = "00:00:00.1",
            ["Footage:Recording:MinFreeSpoolBytes"] = "0",
        };
        return await FootageServer.StartAsync(DatabaseKind.Sqlite, null, settings);
    }

    [Fact]
    public async Task Four_single_module_hosts_record_store_tag_and_play_a_camera_over_HTTP()
    {
        var ct = TestContext.Current.CancellationToken;
        // cameras are Storage's API; the recorder is told to record through its own
        var created = await _storage!.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "split cam", source = "sim", rtsp_url = _cameras!.Url(1), storage_mode = "LOCAL" }, ct);
        var camera = (await created.AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await _recording!.Admin.PostAsync($"api/v1/recording/start/{camera}", null, ct)).EnsureSuccessStatusCode();

        // segments reach the Storage process's catalog through its API
        var segments = await WaitForSegmentsAsync(camera, 3);

        // the live edge: the Playback process lists the file the recorder is writing, through the Recording API, and serves it
        var live = $"api/v1/playback/{camera}/hls?from={Uri.EscapeDataString(segments[0].GetProperty("start_time").GetDateTimeOffset().ToString("O"))}&hls_time=1";
        string? liveLink = null;
        var until = DateTimeOffset.UtcNow + Patience;
        while (liveLink is null && DateTimeOffset.UtcNow < until)
        {
            var catalogued = (await WaitForSegmentsAsync(camera, 1)).Select(NameOf).ToHashSet();
            liveLink = (await _playback!.Admin.GetStringAsync(live, ct)).Split('\n')
                .LastOrDefault(l => l.StartsWith("m/", StringComparison.Ordinal) && !catalogued.Contains(l.Split('/')[2][..^3]));
            await Task.Delay(liveLink is null ? 100 : 0, ct);
        }

        Assert.NotNull(liveLink);
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/playback/{camera}/{liveLink}"))
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 187);
            using var response = await _playback!.CreateClient().SendAsync(request, ct);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} for {liveLink}");
            Assert.Equal(0x47, (await response.Content.ReadAsByteArrayAsync(ct))[0]);
        }

        (await _recording.Admin.PostAsync($"api/v1/recording/stop/{camera}", null, ct)).EnsureSuccessStatusCode();

        // playback builds the playlist of a closed range from the Storage API's catalog and caches it in Valkey
        var first = segments[0];
        var segmentId = first.GetProperty("id").GetGuid();
        var secondId = segments[1].GetProperty("id").GetGuid();
        var from = first.GetProperty("start_time").GetDateTimeOffset();
        var to = segments[1].GetProperty("end_time").GetDateTimeOffset();
        var hls = $"api/v1/playback/{camera}/hls?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
        Assert.Equal([NameOf(first), NameOf(segments[1])], PlayedFiles(await _playback!.Admin.GetStringAsync(hls, ct)));
        Assert.Equal([NameOf(first), NameOf(segments[1])], PlayedFiles(await _playback.Admin.GetStringAsync(hls, ct)));

        // a segment deleted in the Storage process retires the playlist cached by the Playback process
        (await _storage.Admin.DeleteAsync($"api/v1/storage/segments/{secondId}", ct)).EnsureSuccessStatusCode();
        Assert.Equal([NameOf(first)], PlayedFiles(await _playback.Admin.GetStringAsync(hls, ct)));

        // the media is the stored object, byte for byte
        var playlist = await _playback.Admin.GetStringAsync(hls, ct);
        var link = playlist.Split('\n').First(l => l.StartsWith("m/", StringComparison.Ordinal) && l.EndsWith($"/{NameOf(first)}.ts", StringComparison.Ordinal));
        var played = await _playback.CreateClient().GetByteArrayAsync($"api/v1/playback/{camera}/{link}", ct);
        var stored = await _storage.Admin.GetByteArrayAsync($"api/v1/storage/segments/by-id/{segmentId}/content", ct);
        Assert.Equal(first.GetProperty("size_bytes").GetInt64(), stored.LongLength);
        Assert.Equal(stored, played);

        // metadata tags and annotates the segment in the shared catalog; playback shows the annotation on its timeline
        var tag = await _metadata!.Admin.PostAsJsonAsync("api/v1/metadata/tags", new { name = "split-" + Guid.NewGuid().ToString("N")[..6], category = "test" }, ct);
        var tagId = (await tag.AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var tagged = await _metadata.Admin.PostAsJsonAsync($"api/v1/metadata/segments/{segmentId}/tags", new { tag_id = tagId }, ct);
        Assert.True(tagged.IsSuccessStatusCode, await tagged.Content.ReadAsStringAsync(ct));
        var annotation = await _metadata.Admin.PostAsJsonAsync("api/v1/metadata/annotations", new { segment_id = segmentId, timestamp_offset = 500, type = "note", content = "split mode" }, ct);
        var annotationId = (await annotation.AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var timeline = await _playback.Admin.GetFromJsonAsync<JsonElement>(
            $"api/v1/playback/{camera}/segments?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(from.AddHours(1).ToString("O"))}", ct);
        Assert.Contains(timeline.GetProperty("markers").EnumerateArray(), m => m.GetProperty("id").GetGuid() == annotationId);
    }

    private async Task<JsonElement[]> WaitForSegmentsAsync(Guid camera, int count)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var page = await _storage!.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{camera}");
            var segments = page.GetProperty("items").EnumerateArray().ToArray();
            if (segments.Length >= count)
            {
                return segments;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"the recorder registered {segments.Length} of {count} segments in the Storage process");
            await Task.Delay(200);
        }
    }

    /// <summary>The recorded files a playlist links, by the short names of its links (<c>m/{token}/{name}.ts</c>).</summary>
    private static List<string> PlayedFiles(string playlist) =>
        playlist.Split('\n').Where(l => l.StartsWith("m/", StringComparison.Ordinal)).Select(l => l.Split('/')[2][..^3]).Distinct().ToList();

    private static string NameOf(JsonElement segment) =>
        Playback.Playlists.MediaName.Of(segment.GetProperty("start_time").GetDateTimeOffset(), segment.GetProperty("storage_backend").GetString()!).ToString();

    [Fact]
    public async Task Each_host_serves_only_its_own_module_with_its_own_health_metrics_and_openapi()
    {
        var ct = TestContext.Current.CancellationToken;
        var hosts = new (FootageServer Server, string Own, string[] Others)[]
        {
            (_storage!, "/api/v1/storage/segments", ["/api/v1/recording", "/api/v1/metadata/tags", "/api/v1/playback"]),
            (_recording!, "/api/v1/recording", ["/api/v1/storage/segments", "/api/v1/metadata/tags", "/api/v1/playback"]),
            (_metadata!, "/api/v1/metadata/tags", ["/api/v1/storage/segments", "/api/v1/recording", "/api/v1/playback"]),
            (_playback!, "/api/v1/playback", ["/api/v1/storage/segments", "/api/v1/recording", "/api/v1/metadata/tags"]),
        };
        foreach (var (server, own, others) in hosts)
        {
            var anonymous = server.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("health", ct)).StatusCode);
            Assert.Contains("http_requests_received_total", await anonymous.GetStringAsync("metrics", ct));
            var paths = (await anonymous.GetFromJsonAsync<JsonElement>("openapi/v1.json", ct)).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Contains(paths, p => p.StartsWith(own, StringComparison.Ordinal));
            foreach (var other in others)
            {
                Assert.DoesNotContain(paths, p => p.StartsWith(other, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task A_host_without_storage_refuses_to_start_without_the_storage_service_url()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FootageServer.StartAsync(DatabaseKind.Sqlite, null,
            new Dictionary<string, string?> { ["Footage:Modules"] = "playback" }));
        Assert.Contains("Footage:StorageService:BaseUrl", error.Message);
    }
}

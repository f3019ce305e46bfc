using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;

namespace Footage.Processes.Tests;

/// <summary>
/// Split mode as deployed: Storage, Recording, Metadata and Playback as four OS processes of the built server
/// (<c>dotnet Footage.Server.dll --Footage:Modules=...</c>) on their own ports, sharing one PostgreSQL and one Valkey;
/// the recorder and playback reach Storage only over HTTP.
/// </summary>
public sealed class SplitProcessTests(PostgresServer postgres, RedisServer valkey) : IAsyncLifetime
{
    private readonly TempFolder _objects = new("footage-split-process-objects");
    private CameraSimulator? _cameras;
    private FootageProcess? _storage;
    private FootageProcess? _recording;
    private FootageProcess? _metadata;
    private FootageProcess? _playback;

    public async ValueTask InitializeAsync()
    {
        _cameras = await CameraSimulator.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        _storage = await FootageProcess.StartAsync("storage", Settings("storage", database, null));
        var others = await Task.WhenAll(
            FootageProcess.StartAsync("recording", Settings("recording", database, _storage)),
            FootageProcess.StartAsync("metadata", Settings("metadata", database, _storage)),
            FootageProcess.StartAsync("playback", Settings("playback", database, _storage)));
        (_recording, _metadata, _playback) = (others[0], others[1], others[2]);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(new[] { _playback, _metadata, _recording }.OfType<FootageProcess>().Select(p => p.DisposeAsync().AsTask()));
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        if (_cameras is not null)
        {
            await _cameras.DisposeAsync();
        }

        _objects.Dispose();
    }

    private Dictionary<string, string?> Settings(string module, string database, FootageProcess? storage) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Footage:Modules"] = module,
        ["Footage:Database:Provider"] = "postgresql",
        ["Footage:Database:ConnectionString"] = database,
        ["Footage:Storage:Filesystem:Root"] = _objects.Path,
        ["Footage:Auth:LinkSigningKey"] = "split-process-test-link-signing-key-0123456789",
        ["Footage:StorageService:BaseUrl"] = storage?.BaseAddress.ToString(),
        ["Footage:StorageService:ApiKey"] = storage is null ? null : FootageServer.AdminKey,
        ["Footage:StorageService:AttemptTimeout"] = "00:00:05",
        ["Footage:StorageService:Timeout"] = "00:00:30",
        ["Footage:Playback:Redis"] = valkey.Configuration,
        ["Footage:Recording:SegmentSeconds"] = "2",
        ["Footage:Recording:StallTimeout"] = "00:00:05",
        ["Footage:Recording:StartTimeout"] = "00:00:15",
        ["Footage:Recording:UploadBackoffMax"] = "00:00:01",
        ["Footage:Recording:PollInterval"] = "00:00:00.2",
        ["Footage:Recording:MinFreeSpoolBytes"] = "0",
        ["Footage:Recording:Leases:RenewInterval"] = "00:00:01",
        ["Footage:Storage:Holds:SweepInterval"] = "00:00:01",
    };

    [Fact]
    public async Task Four_module_processes_record_list_play_and_search_a_camera_each_with_its_own_health_and_metrics()
    {
        var ct = TestContext.Current.CancellationToken;
        FootageProcess[] all = [_storage!, _recording!, _metadata!, _playback!];

        // the camera is Storage's; the recorder records it through its own API and registers segments over HTTP
        var created = await _storage!.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "process cam", source = "sim", rtsp_url = _cameras!.Url(1), storage_mode = "LOCAL" }, ct);
        var camera = (await created.AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await _recording!.Admin.PostAsync($"api/v1/recording/start/{camera}", null, ct)).EnsureSuccessStatusCode();
        var segments = await Observe.WaitForSegmentsAsync(_storage, camera, 3, null, _recording, _storage);
        (await _recording.Admin.PostAsync($"api/v1/recording/stop/{camera}", null, ct)).EnsureSuccessStatusCode();

        // the recorder process holds the camera's lease while it records it, and says where it is reached
        var recorders = await _recording.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/recorders", ct);
        var self = recorders.GetProperty("recorders").EnumerateArray().Single(r => r.GetProperty("recorder_id").GetString() == recorders.GetProperty("recorder_id").GetString());
        Assert.Equal(_recording.BaseAddress.ToString().TrimEnd('/'), self.GetProperty("recorder_url").GetString());

        // each stored segment is the object Storage serves, byte for byte as its checksum says
        foreach (var segment in segments)
        {
            var bytes = await _storage.Admin.GetByteArrayAsync($"api/v1/storage/segments/by-id/{segment.GetProperty("id").GetGuid()}/content", ct);
            Assert.Equal(segment.GetProperty("size_bytes").GetInt64(), bytes.LongLength);
            Assert.EndsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), segment.GetProperty("checksum").GetString());
        }

        // the Playback process's playlist of the recorded range decodes with no error at all
        var from = segments[0].GetProperty("start_time").GetDateTimeOffset();
        var to = segments[^1].GetProperty("end_time").GetDateTimeOffset();
        var hls = new Uri(_playback!.BaseAddress, $"api/v1/playback/{camera}/hls?from={Observe.Instant(from)}&to={Observe.Instant(to)}");
        var playlist = await _playback.Admin.GetStringAsync(hls, ct);
        Assert.Contains("#EXT-X-ENDLIST", playlist);
        Assert.Equal("", await Observe.DecodeErrorsAsync(hls.ToString(), FootageServer.AdminKey));

        // the Metadata process tags a segment in the shared catalog and finds it by the tag
        var name = "proc-" + Guid.NewGuid().ToString("N")[..8];
        var tag = await _metadata!.Admin.PostAsJsonAsync("api/v1/metadata/tags", new { name, category = "test" }, ct);
        var tagId = (await tag.AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var segmentId = segments[1].GetProperty("id").GetGuid();
        var tagged = await _metadata.Admin.PostAsJsonAsync($"api/v1/metadata/segments/{segmentId}/tags", new { tag_id = tagId }, ct);
        Assert.True(tagged.IsSuccessStatusCode, await tagged.Content.ReadAsStringAsync(ct));
        var found = await _metadata.Admin.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?type=segments&tag={name}", ct);
        Assert.Equal([segmentId], found.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));

        // an incident saved by the Metadata process holds its footage in the shared holds record at once: the Storage
        // process refuses to delete it, and its hold keeper moves it to the held copy in cctv-clips within a sweep
        var incident = await _metadata.Admin.PostAsJsonAsync("api/v1/metadata/incidents",
            new { title = "held in split mode", severity = "HIGH", camera_ids = new[] { camera }, start_time = from, end_time = to }, ct);
        await incident.AssertJsonAsync(HttpStatusCode.Created);
        await (await _storage.Admin.DeleteAsync($"api/v1/storage/segments/{segmentId}", ct)).AssertProblemAsync(HttpStatusCode.Conflict);
        for (var attempt = 0; ; attempt++)
        {
            var held = await _storage.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/by-id/{segmentId}", ct);
            if (held.GetProperty("storage_bucket").GetString() == "cctv-clips")
            {
                Assert.True(held.GetProperty("evidence_hold").GetBoolean());
                break;
            }

            Assert.True(attempt < 100, "the Storage process did not move the held segment to cctv-clips within 20 s");
            await Task.Delay(200, ct);
        }

        // every process answers its own /health and shows its own work on its own /metrics
        foreach (var process in all)
        {
            using var health = await process.CreateClient().GetAsync("health", ct);
            Assert.True(health.StatusCode == HttpStatusCode.OK, $"{process.Name}: /health {(int)health.StatusCode} {await health.Content.ReadAsStringAsync(ct)}");
        }

        Assert.True(await Observe.MetricAsync(_recording, "footage_recording_segments_total", "outcome=\"stored\"") >= segments.Length);
        Assert.True(await Observe.MetricAsync(_recording, "footage_recording_leases_acquired_total") >= 1);
        Assert.True(await Observe.MetricAsync(_storage, "footage_segments_registered_total", "outcome=\"created\"") >= segments.Length);
        Assert.True(await Observe.MetricAsync(_playback, "footage_playback_media_bytes_total") > 0);
        Assert.True(await Observe.MetricAsync(_metadata, "http_requests_received_total", "metadata/search") >= 1);
        Assert.Equal(0, await Observe.MetricAsync(_storage, "footage_recording_segments_total"));
        Assert.Equal(0, await Observe.MetricAsync(_metadata, "footage_playback_media_bytes_total"));
        foreach (var process in all.Where(p => p != _recording))
        {
            Assert.Equal(0, await Observe.MetricAsync(process, "footage_recording_leases_held"));
        }
    }
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Hardening.Tests.Api;
using Footage.Milestone.Simulator;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.BadInput;

/// <summary>
/// The real host with every module and Milestone (the simulator, so that the Milestone endpoints exist too), and one of
/// each thing the API manages (a camera, a recorded segment with its key frames, a tag on it, an annotation, an incident,
/// a finished export, a spare API key), made through the API itself.
/// </summary>
public sealed class HardeningHost : IAsyncDisposable
{
    private readonly DatabaseChangeMarker _marker;
    private string? _tablesMarker;
    private string _tables = "";

    private HardeningHost(FootageServer server, MilestoneSimulator milestone, ApiSurface surface, SeededIds seeds, TempFolder media, DatabaseChangeMarker marker)
    {
        _marker = marker;
        Server = server;
        Milestone = milestone;
        Surface = surface;
        Seeds = seeds;
        Media = media;
    }

    public FootageServer Server { get; }

    public MilestoneSimulator Milestone { get; }

    public ApiSurface Surface { get; }

    public SeededIds Seeds { get; }

    private TempFolder Media { get; }

    /// <summary>
    /// <see cref="StateSnapshot"/> of the host, reading the tables again only when the database may have changed since
    /// they were last read (most refused requests write nothing, and reading every table was most of the time spent).
    /// </summary>
    public async Task<string> SnapshotAsync()
    {
        var marker = await _marker.ReadAsync();
        if (marker is null || marker != _tablesMarker)
        {
            _tables = await StateSnapshot.TablesAsync(Server.Get<IDatabase>());
            _tablesMarker = marker;
        }

        return _tables + StateSnapshot.Files(Server.DataDirectory);
    }

    public static async Task<HardeningHost> StartAsync(DatabaseKind database, PostgresServer? postgres, IDictionary<string, string?>? settings = null)
    {
        var milestone = await SimulatedMilestone.StartAsync();
        var all = new Dictionary<string, string?>(SimulatedMilestone.Settings(milestone));
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }

        var server = await FootageServer.StartAsync(database, postgres, all);
        var media = new TempFolder("footage-hardening-media");
        var seeds = new SeededIds();
        var admin = server.Admin;

        var camera = await PostAsync(admin, "api/v1/cameras", new { name = "Hardening gate", source = "hardening" });
        seeds.Add("camera", camera);

        var start = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var file = await TestMedia.MakeTsAsync(Path.Combine(media.Path, "segment.ts"), 6);
        var duration = await TestMedia.ProbeDurationAsync(file);
        var end = start.AddSeconds(duration);
        var bytes = await File.ReadAllBytesAsync(file);
        var key = ObjectKeys.ForSegment(Guid.Parse(camera), start);
        await server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), null, CancellationToken.None);
        var segment = await PostAsync(admin, "api/v1/storage/segments", new
        {
            camera_id = camera, start_time = start, end_time = end, size_bytes = bytes.Length, storage_path = key,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)), keyframes = await TestMedia.KeyframesAsync(file),
        });
        seeds.Add("segment", segment);
        seeds.FootageStart = start;
        seeds.FootageEnd = end;

        var tag = await PostAsync(admin, "api/v1/metadata/tags", new { name = "hardening", category = "test", color = "#112233" });
        seeds.Add("tag", tag);
        (await admin.PostAsJsonAsync($"api/v1/metadata/segments/{segment}/tags", new { tag_id = tag })).EnsureSuccessStatusCode();
        seeds.Add("annotation", await PostAsync(admin, "api/v1/metadata/annotations", new { segment_id = segment, timestamp_offset = 1, type = "note", content = "gate opened" }));
        seeds.Add("incident", await PostAsync(admin, "api/v1/metadata/incidents", new
        {
            title = "Gate left open", severity = "low", camera_ids = new[] { camera }, start_time = start, end_time = end,
        }));
        var export = await PostAsync(admin, "api/v1/storage/exports", new { camera_ids = new[] { camera }, start_time = start.AddSeconds(1), end_time = start.AddSeconds(4), reason = "hardening" });
        seeds.Add("export", export);
        await WaitForExportAsync(admin, export);
        var clip = await PostAsync(admin, "api/v1/storage/clips", new { incident_id = seeds.First("incident"), margin_seconds = 1, reason = "hardening" });
        seeds.Add("clip", clip);
        await WaitForAsync(admin, $"api/v1/storage/clips/{clip}", "clip");
        var spare = await admin.PostAsJsonAsync("api/v1/auth/keys", new { name = "hardening-spare", role = "viewer" });
        seeds.Add("key", (await spare.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);

        var surface = await ApiSurface.ReadAsync(server.CreateClient());
        return new HardeningHost(server, milestone, surface, seeds, media, await DatabaseChangeMarker.OpenAsync(server.Get<IDatabase>()));
    }

    private static async Task<string> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"seeding {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").ToString();
    }

    private static Task WaitForExportAsync(HttpClient client, string id) => WaitForAsync(client, $"api/v1/storage/exports/{id}", "export");

    private static async Task WaitForAsync(HttpClient client, string path, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = await client.GetFromJsonAsync<JsonElement>(path);
            var status = job.GetProperty("status").GetString();
            if (status is "COMPLETED" or "FAILED")
            {
                Assert.True(status == "COMPLETED", job.ToString());
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the seeded {what} did not finish");
    }

    public async ValueTask DisposeAsync()
    {
        await _marker.DisposeAsync();
        await Server.DisposeAsync();
        await Milestone.DisposeAsync();
        Media.Dispose();
    }
}

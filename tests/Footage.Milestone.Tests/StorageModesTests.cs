using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Footage.Core.Storage;
using Footage.Milestone.Simulator;
using Footage.Testing;
using Xunit;

namespace Footage.Milestone.Tests;

/// <summary>
/// The whole product against the simulator (real host, SQLite, ffmpeg): a BOTH camera whose own recording has a gap that
/// Milestone's fills, and a MILESTONE camera imported from Milestone's configuration, played and exported through the API.
/// </summary>
public sealed class StorageModesTests : IAsyncLifetime
{
    private static readonly Guid BothDevice = new("0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e");
    private static readonly Guid MilestoneDevice = new("5f5f5f5f-6a6a-4b7b-8c8c-9d9d9d9d9d9d");
    private readonly DateTimeOffset _t = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()).AddMinutes(-10);
    private readonly TempFolder _media = new("milestone-media");
    private MilestoneSimulator _simulator = null!;
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _simulator = await MilestoneSimulator.StartAsync(
        [
            new SimulatedCamera(BothDevice, "Gate (recorded by both)", [new SimulatedSequence(_t, 30)]),
            new SimulatedCamera(MilestoneDevice, "Lobby (Milestone only)", [new SimulatedSequence(_t, 12)]),
        ]);
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Recording:ThumbnailSeconds"] = "5",
            ["Footage:Milestone:ServerUrl"] = _simulator.BaseUri.ToString(),
            ["Footage:Milestone:Username"] = _simulator.Username,
            ["Footage:Milestone:Password"] = _simulator.Password,
            ["Footage:Milestone:PieceSeconds"] = "10",
            ["Footage:Milestone:SyncInterval"] = "00:00:00",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _simulator.DisposeAsync();
        _media.Dispose();
    }

    [Fact]
    public async Task BOTH_plays_and_exports_our_footage_with_its_gap_filled_from_Milestone_and_MILESTONE_plays_Milestones_own()
    {
        var camera = (await (await _server.Admin.PostAsJsonAsync("api/v1/cameras", new
        {
            name = "Gate", source = $"milestone:{BothDevice}", rtsp_url = "rtsp://127.0.0.1:9/gate", storage_mode = "BOTH",
        })).AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await RegisterOwnAsync(camera, _t, "own-0.ts");
        await RegisterOwnAsync(camera, _t.AddSeconds(20), "own-2.ts");

        var op = await _server.ClientAsync("operator");
        var report = await (await op.PostAsync("api/v1/milestone/sync", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, report.GetProperty("cameras_imported").GetInt32());
        Assert.Equal(3, report.GetProperty("segments_registered").GetInt32()); // the gap of Gate, and Lobby's two pieces
        Assert.Equal(0, report.GetProperty("problems").GetArrayLength());
        var again = await (await op.PostAsync("api/v1/milestone/sync", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("segments_registered").GetInt32());

        var segments = (await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{camera}")).GetProperty("items").EnumerateArray().ToList();
        var milestone = Assert.Single(segments, s => s.GetProperty("storage_backend").GetString() == "milestone");
        Assert.Equal(_t.AddSeconds(10), milestone.GetProperty("start_time").GetDateTimeOffset());
        Assert.Equal(3, segments.Count);

        // one playlist: ours, Milestone's in our gap, ours again; it decodes without a single error
        var viewer = await _server.ClientAsync("viewer");
        var hls = $"api/v1/playback/{camera}/hls?from={Iso(_t)}&to={Iso(_t.AddSeconds(30))}";
        var playlist = await viewer.GetStringAsync(hls);
        Assert.Equal(2, playlist.Split('\n').Count(l => l.StartsWith("#EXT-X-DISCONTINUITY", StringComparison.Ordinal)));
        var viewerKey = viewer.DefaultRequestHeaders.GetValues("X-Api-Key").Single();
        var (errors, frames) = await DecodeAsync(new Uri(_server.BaseAddress, hls).ToString(), viewerKey);
        Assert.Equal("", errors);
        Assert.Equal(750, frames); // 30 s at 25 fps: nothing missing, nothing twice

        // one MP4 of the whole range
        var created = await (await op.PostAsJsonAsync("api/v1/storage/exports", new { camera_ids = new[] { camera }, start_time = _t, end_time = _t.AddSeconds(30), reason = "BOTH" }))
            .AssertJsonAsync(HttpStatusCode.Accepted);
        var export = await WaitForExportAsync(op, created.GetProperty("id").GetGuid());
        Assert.True(export.GetProperty("status").GetString() == "COMPLETED", export.ToString());
        var mp4 = await EvidenceZip.ExtractVideoAsync(await _server.CreateClient().GetByteArrayAsync(export.GetProperty("download_url").GetString()),
            camera, Path.Combine(_media.Path, "export.mp4"));
        Assert.Equal("", await TestMedia.DecodeErrorsAsync(mp4));
        Assert.InRange(await TestMedia.ProbeDurationAsync(mp4), 29.0, 30.5);

        // the camera imported from Milestone plays Milestone's recording
        var lobby = (await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras/{MilestoneDevice}"));
        Assert.Equal("MILESTONE", lobby.GetProperty("storage_mode").GetString());
        var (lobbyErrors, lobbyFrames) = await DecodeAsync(new Uri(_server.BaseAddress, $"api/v1/playback/{MilestoneDevice}/hls?from={Iso(_t)}&to={Iso(_t.AddSeconds(12))}").ToString(), viewerKey);
        Assert.Equal("", lobbyErrors);
        Assert.Equal(300, lobbyFrames);

        // with thumbnails on its timeline, made from Milestone's footage
        var timeline = await viewer.GetFromJsonAsync<JsonElement>($"api/v1/playback/{MilestoneDevice}/segments?from={Iso(_t)}&to={Iso(_t.AddSeconds(12))}");
        var stills = timeline.GetProperty("thumbnails").EnumerateArray().ToList();
        Assert.InRange(stills.Count, 2, 3);
        var jpeg = await _server.CreateClient().GetByteArrayAsync(new Uri(_server.BaseAddress, stills[0].GetProperty("url").GetString()));
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, jpeg[..2]);

        // health and metrics show Milestone
        var health = await _server.CreateClient().GetStringAsync("health");
        Assert.Contains("milestone", health, StringComparison.Ordinal);
        var metrics = await _server.CreateClient().GetStringAsync("metrics");
        Assert.Contains("footage_milestone_frames_total", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(_simulator.Password, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Milestone_refusing_our_credentials_is_a_clear_problem_for_the_caller()
    {
        _simulator.Tokens.RevokeAll();
        await using var wrong = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Modules"] = "storage,metadata,playback",
            ["Footage:Milestone:ServerUrl"] = _simulator.BaseUri.ToString(),
            ["Footage:Milestone:Username"] = _simulator.Username,
            ["Footage:Milestone:Password"] = "wrong-password",
            ["Footage:Milestone:SyncInterval"] = "00:00:00",
        });
        var op = await wrong.ClientAsync("operator");
        var problem = await (await op.PostAsync("api/v1/milestone/sync", null)).AssertProblemAsync(HttpStatusCode.BadGateway);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("refused the sign-in", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", detail, StringComparison.Ordinal);
        // Milestone away is a warning, never a reason to take this process out of service
        var health = JsonDocument.Parse(await (await wrong.CreateClient().GetAsync("health")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Degraded", health.GetProperty("checks").GetProperty("milestone").GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("storage_backends").GetProperty("status").GetString());
    }

    private async Task RegisterOwnAsync(Guid camera, DateTimeOffset start, string name)
    {
        var file = await TestMedia.MakeTsAsync(Path.Combine(_media.Path, name), 10);
        var bytes = await File.ReadAllBytesAsync(file);
        var key = ObjectKeys.ForSegment(camera, start);
        await _server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), null, CancellationToken.None);
        await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = camera,
            start_time = start,
            end_time = start.AddSeconds(10),
            size_bytes = bytes.Length,
            storage_path = key,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            keyframes = await TestMedia.KeyframesAsync(file),
        })).AssertJsonAsync(HttpStatusCode.Created);
    }

    /// <summary>Decodes an HLS playlist as a player would (the key for the playlist; media links are signed) and counts the frames.</summary>
    private static async Task<(string Errors, int Frames)> DecodeAsync(string url, string apiKey)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-v", "error", "-headers", $"X-Api-Key: {apiKey}\r\n", "-protocol_whitelist", "http,tcp,file,crypto",
                "-i", url, "-fps_mode", "vfr", "-f", "framemd5", "-"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var frames = result.StandardOutput.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
        return ((result.StandardError + (result.ExitCode != 0 ? $" (exit {result.ExitCode})" : string.Empty)).Trim(), frames);
    }

    private static async Task<JsonElement> WaitForExportAsync(HttpClient client, Guid id)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(90);
        while (true)
        {
            var export = await (await client.GetAsync($"api/v1/storage/exports/{id}")).AssertJsonAsync(HttpStatusCode.OK);
            if (export.GetProperty("status").GetString() is not ("PENDING" or "PROCESSING"))
            {
                return export;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"export {id} unfinished after 90 s");
            await Task.Delay(250);
        }
    }

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Recording.Cameras;
using Footage.Recording.Fleet;
using Footage.Recording.Leases;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Cameras;

/// <summary>
/// The camera list's <c>status</c> (and its filter) is the <c>health</c> that <c>GET /api/v1/recording/status</c> gives, for a
/// camera in every state the fleet can have it in: held by another recorder and reporting each recording state, taken but
/// not reported on, reported on by its previous holder only, stopping, waiting for a recorder after its holder's lease
/// lapsed, never held, not asked to record, and Milestone's. This server's own recorder is drained, so the other recorders'
/// leases and reports (written through the recorders' own stores) are the whole truth. On SQLite and on PostgreSQL.
/// </summary>
public abstract class CameraListStatusTests(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    private const string Holder = "rec-b";
    private const string Previous = "rec-c";
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(database, postgres,
        new Dictionary<string, string?> { ["Footage:Recording:Leases:Drained"] = "true" });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_status_filter_gives_each_camera_the_health_the_recording_status_gives_whichever_recorder_holds_it()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var expected = new Dictionary<Guid, string>();
        foreach (var state in Enum.GetValues<RecordingState>())
        {
            var camera = await CameraAsync($"{prefix} held {state}", shouldRecord: true);
            await HoldAsync(camera, Holder);
            await ReportAsync(camera, Holder, state);
            expected[camera] = state switch
            {
                RecordingState.Recording or RecordingState.Starting => "RECORDING",
                RecordingState.Stopped => "STOPPED",
                RecordingState.Milestone => "MILESTONE",
                _ => "FAILING",
            };
        }

        var taken = await CameraAsync($"{prefix} taken, not reported yet", shouldRecord: true);
        await HoldAsync(taken, Holder);
        expected[taken] = "RECORDING";

        // the previous holder's report (failed) is not the new holder's: it is starting
        var takenOver = await CameraAsync($"{prefix} taken over", shouldRecord: true);
        await HoldAsync(takenOver, Previous, lapsed: true);
        await ReportAsync(takenOver, Previous, RecordingState.Failed);
        await HoldAsync(takenOver, Holder);
        expected[takenOver] = "RECORDING";

        // asked to stop, its holder still recording until it closes the segment
        var stopping = await CameraAsync($"{prefix} stopping", shouldRecord: false);
        await HoldAsync(stopping, Holder);
        await ReportAsync(stopping, Holder, RecordingState.Recording);
        expected[stopping] = "RECORDING";

        // its holder died: the lease lapsed with a report saying recording
        var orphan = await CameraAsync($"{prefix} holder died", shouldRecord: true);
        await HoldAsync(orphan, Previous, lapsed: true);
        await ReportAsync(orphan, Previous, RecordingState.Recording);
        expected[orphan] = "FAILING";

        expected[await CameraAsync($"{prefix} never held", shouldRecord: true)] = "FAILING";
        expected[await CameraAsync($"{prefix} not asked", shouldRecord: false)] = "STOPPED";
        var milestone = (await (await _server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = $"{prefix} Milestone", storage_mode = "MILESTONE" }))
            .AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        expected[milestone] = "MILESTONE";

        var status = (await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/status")).GetProperty("cameras").EnumerateArray()
            .ToDictionary(c => c.GetProperty("camera_id").GetGuid(), c => c.GetProperty("health").GetString()!.ToUpperInvariant());
        var listed = (await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras?q={prefix}")).EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetGuid(), c => c.GetProperty("status").GetString()!);
        foreach (var (camera, state) in expected)
        {
            Assert.True(status[camera] == state, $"the recording status of {Name(listed, camera)} is {status[camera]}, not {state}");
            Assert.True(listed[camera] == state, $"the camera list says {Name(listed, camera)} is {listed[camera]}, where the recording status says {state}");
            var single = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras/{camera}");
            Assert.Equal(state, single.GetProperty("status").GetString());
        }

        foreach (var state in new[] { "RECORDING", "FAILING", "STOPPED", "MILESTONE" })
        {
            var found = (await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras?q={prefix}&status={state.ToLowerInvariant()}"))
                .EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).Order();
            Assert.Equal(expected.Where(e => e.Value == state).Select(e => e.Key).Order(), found);
        }

        var sorted = (await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/cameras?q={prefix}&sort=status")).EnumerateArray()
            .Select(c => c.GetProperty("status").GetString()!).ToArray();
        Assert.Equal(sorted.Order(StringComparer.Ordinal), sorted);
    }

    private async Task<Guid> CameraAsync(string name, bool shouldRecord)
    {
        var id = (await (await _server.Admin.PostAsJsonAsync("api/v1/cameras", new { name, rtsp_url = "rtsp://127.0.0.1:9/none" }))
            .AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await _server.Get<RecordingStateRepository>().SetAsync(id, shouldRecord, "test", CancellationToken.None);
        return id;
    }

    /// <summary>A lease of another recorder: live for an hour, or one that lapsed a minute ago.</summary>
    private async Task HoldAsync(Guid camera, string recorder, bool lapsed = false)
    {
        var now = TimeProvider.System.GetUtcNow();
        var (from, until) = lapsed ? (now.AddMinutes(-2), now.AddMinutes(-1)) : (now, now.AddHours(1));
        Assert.True(await _server.Get<CameraLeaseStore>().TryAcquireAsync(camera, recorder, $"http://{recorder}.test:8080", from, until, CancellationToken.None));
    }

    private async Task ReportAsync(Guid camera, string recorder, RecordingState state)
    {
        var now = TimeProvider.System.GetUtcNow();
        await _server.Get<CameraHealthStore>().ReportAsync(
            new CameraHealthReport(camera, recorder, state, now, null, 0, 0, null, null, null, null, null, now), CancellationToken.None);
    }

    private static string Name(Dictionary<Guid, string> listed, Guid camera) => listed.ContainsKey(camera) ? camera.ToString() : $"{camera} (not listed)";
}

public sealed class SqliteCameraListStatusTests(PostgresServer postgres) : CameraListStatusTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresCameraListStatusTests(PostgresServer postgres) : CameraListStatusTests(DatabaseKind.Postgres, postgres);

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Testing;
using Npgsql;
using Xunit;

namespace Footage.Processes.Tests;

/// <summary>
/// Scale-out recording: three recorder processes share six cameras through <c>camera_leases</c> in PostgreSQL. Each camera is
/// recorded by exactly one recorder; a SIGKILLed recorder's cameras continue on the others once its leases expire; restarted
/// drained on its own spool, it delivers what it had captured, so the catalog loses nothing beyond the takeover gap and holds no
/// footage twice; put back to work it takes its share again; a drained recorder hands its cameras over. A Playback process
/// configured with one recorder's URL plays the live edge of a camera another recorder holds. Every recorder gives the same
/// recording status of every camera (state, should-record, holder), before and after the takeover, and a camera is stopped and
/// started again through a recorder that does not hold it.
/// </summary>
public sealed class ScaleOutTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Cameras = 6;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(5);
    private readonly TempFolder _objects = new("footage-scale-out-objects");
    private readonly List<FootageProcess> _processes = [];
    private CameraSimulator? _simulator;
    private string _database = "";
    private FootageProcess _storage = null!;
    private FootageProcess[] _recorders = [];
    private FootageProcess _playback = null!;

    public async ValueTask InitializeAsync()
    {
        _simulator = await CameraSimulator.StartAsync(Cameras);
        _database = await postgres.CreateDatabaseAsync();
        _storage = Keep(await FootageProcess.StartAsync("storage", Settings("storage", null)));
        var rec1Port = FreePort.Next();
        var playback = FootageProcess.StartAsync("playback", PlaybackSettings(rec1Port));
        _recorders = await Task.WhenAll(Enumerable.Range(1, 3)
            .Select(i => FootageProcess.StartAsync($"rec-{i}", Settings("recording", $"rec-{i}"), port: i == 1 ? rec1Port : null)));
        _processes.AddRange(_recorders);
        _playback = Keep(await playback);
    }

    public async ValueTask DisposeAsync()
    {
        // the newest first: a restarted recorder uses the data folder of the one it replaced
        foreach (var process in Enumerable.Reverse(_processes).Where(p => p != _storage))
        {
            await process.DisposeAsync();
        }

        await _storage.DisposeAsync();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        _objects.Dispose();
    }

    private FootageProcess Keep(FootageProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private Dictionary<string, string?> Settings(string module, string? recorderId, bool drained = false) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Footage:Modules"] = module,
        ["Footage:Database:Provider"] = "postgresql",
        ["Footage:Database:ConnectionString"] = _database,
        ["Footage:Storage:Filesystem:Root"] = _objects.Path,
        ["Footage:StorageService:BaseUrl"] = module == "storage" ? null : _storage.BaseAddress.ToString(),
        ["Footage:StorageService:ApiKey"] = module == "storage" ? null : FootageServer.AdminKey,
        ["Footage:StorageService:AttemptTimeout"] = "00:00:05",
        ["Footage:StorageService:Timeout"] = "00:00:30",
        ["Footage:Recording:SegmentSeconds"] = "2",
        ["Footage:Recording:StallTimeout"] = "00:00:06",
        ["Footage:Recording:StartTimeout"] = "00:00:15",
        ["Footage:Recording:UploadBackoffMax"] = "00:00:01",
        ["Footage:Recording:PollInterval"] = "00:00:00.2",
        ["Footage:Recording:MinFreeSpoolBytes"] = "0",
        ["Footage:Recording:Leases:RecorderId"] = recorderId,
        ["Footage:Recording:Leases:Duration"] = LeaseDuration.ToString(),
        ["Footage:Recording:Leases:RenewInterval"] = "00:00:01",
        ["Footage:Recording:Leases:Drained"] = drained ? "true" : null,
    };

    /// <summary>
    /// Playback knows rec-1 only (as it would know a gateway in front of the recorders) and finds the holder of each camera
    /// through it; rec-1 listens on the port the test picks for it before it starts.
    /// </summary>
    private Dictionary<string, string?> PlaybackSettings(int rec1Port)
    {
        var settings = Settings("playback", null);
        settings["Footage:Auth:LinkSigningKey"] = "scale-out-test-link-signing-key-0123456789";
        settings["Footage:Playback:RecordingService:BaseUrl"] = $"http://127.0.0.1:{rec1Port}/";
        settings["Footage:Playback:RecordingService:ApiKey"] = FootageServer.AdminKey;
        return settings;
    }

    /// <summary>Live leases by camera, as the database has them: holder and when it took the camera.</summary>
    private async Task<Dictionary<Guid, (string Recorder, DateTimeOffset AcquiredAt)>> LeasesAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT camera_id, recorder_id, acquired_at FROM camera_leases WHERE expires_at >= now()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var leases = new Dictionary<Guid, (string, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            leases[reader.GetGuid(0)] = (reader.GetString(1), await reader.GetFieldValueAsync<DateTimeOffset>(2));
        }

        return leases;
    }

    private static async Task<Dictionary<string, Guid[]>> HoldingsAsync(FootageProcess recorder)
    {
        var status = await recorder.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/recorders");
        return status.GetProperty("recorders").EnumerateArray().Where(r => r.GetProperty("live").GetBoolean())
            .ToDictionary(r => r.GetProperty("recorder_id").GetString()!, r => r.GetProperty("cameras").EnumerateArray().Select(c => c.GetGuid()).ToArray());
    }

    /// <summary>Each camera's state, should-record and holder as <c>GET /api/v1/recording/status</c> of this process gives them.</summary>
    private static async Task<Dictionary<Guid, (string State, bool ShouldRecord, string? Recorder)>> StatusAsync(FootageProcess recorder, Guid[] cameras)
    {
        var status = await recorder.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/status");
        return status.GetProperty("cameras").EnumerateArray().Where(c => cameras.Contains(c.GetProperty("camera_id").GetGuid()))
            .ToDictionary(c => c.GetProperty("camera_id").GetGuid(),
                c => (c.GetProperty("state").GetString()!, c.GetProperty("should_record").GetBoolean(), c.GetProperty("recorder_id").GetString()));
    }

    private static string Show(Dictionary<Guid, (string State, bool ShouldRecord, string? Recorder)> view) =>
        string.Join(", ", view.OrderBy(v => v.Key).Select(v => $"{v.Key.ToString()[..8]} {v.Value.State} {(v.Value.ShouldRecord ? "wanted" : "unwanted")} on {v.Value.Recorder ?? "none"}"));

    /// <summary>
    /// Asks every process for the status until they all give the same answer and it is the expected one (the holders as the
    /// leases have them); returns how long that took.
    /// </summary>
    private static async Task<TimeSpan> EveryRecorderSaysAsync(Guid[] cameras, FootageProcess[] recorders,
        Func<Guid, (string State, bool ShouldRecord, string? Recorder)> expected, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var seen = "";
        while (true)
        {
            var views = await Task.WhenAll(recorders.Select(r => StatusAsync(r, cameras)));
            seen = string.Join("\n", views.Select((v, i) => $"{recorders[i].Name}: {Show(v)}"));
            if (views.All(v => v.Count == cameras.Length && cameras.All(c => v[c] == expected(c))))
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{what}: every recorder agrees after {watch.Elapsed.TotalSeconds:0.0} s");
                return watch.Elapsed;
            }

            Assert.True(watch.Elapsed < Observe.Patience, $"{what}: the recorders do not agree\n{seen}\n{string.Join('\n', recorders.Select(r => r.OutputTail()))}");
            await Task.Delay(250);
        }
    }

    private static Dictionary<Guid, string> HolderOf(Dictionary<string, Guid[]> holdings) =>
        holdings.SelectMany(h => h.Value.Select(c => (Camera: c, Recorder: h.Key))).ToDictionary(h => h.Camera, h => h.Recorder);

    private static async Task<bool> EveryCameraOnceAsync(FootageProcess recorder, Guid[] cameras, Func<Dictionary<string, Guid[]>, bool> shape)
    {
        var holdings = await HoldingsAsync(recorder);
        var held = holdings.Values.SelectMany(c => c).ToList();
        return held.Count == cameras.Length && held.Order().SequenceEqual(cameras.Order()) && shape(holdings);
    }

    /// <summary>
    /// The live playlist of a camera rec-2 records, from the Playback process that was given rec-1's URL: it lists rec-2's open
    /// file (a chunk later than everything catalogued), grows, and decodes cleanly.
    /// </summary>
    /// <summary>How far a new file may start before the end of the one before it (rotation jitter), as the live journal allows.</summary>
    private const long LiveJournalOverlapMs = Footage.Playback.Live.LiveJournal.OverlapToleranceMs;

    private async Task LiveEdgeOfAnotherRecorderPlaysAsync(Guid camera, FootageProcess holder)
    {
        var hls = new Uri(_playback.BaseAddress, $"api/v1/playback/{camera}/hls");
        var watcher = new LivePlaylistWatcher();
        async Task<DateTimeOffset> CataloguedUntilAsync() => (await Observe.SegmentsAsync(_storage, camera)).Max(s => s.GetProperty("end_time").GetDateTimeOffset());
        // the holder's files only the recorder has: a chunk later than everything catalogued, or (with files as short as a
        // chunk, the file being written has no whole chunk yet) the file being written, as partial segments and a preload hint
        static DateTimeOffset? HintedFile(string playlist) =>
            playlist.Split('\n').LastOrDefault(l => l.StartsWith("#EXT-X-PRELOAD-HINT:", StringComparison.Ordinal)) is { } hint &&
            Footage.Playback.Playlists.MediaName.TryParse(hint.Split("URI=\"")[1].Split('"')[0].Split('/')[^1].Replace(".ts", "", StringComparison.Ordinal), out var name)
                ? name.Start
                : null;
        var last = 0L;
        string? seen = null;
        await Observe.UntilAsync(async () =>
            {
                var text = await _playback.Admin.GetStringAsync(hls);
                var chunks = watcher.Observe(text);
                var catalogued = await CataloguedUntilAsync();
                seen = $"last chunk {(chunks.Count > 0 ? chunks[^1].Start : null):O}, file being written {HintedFile(text):O}, catalogued until {catalogued:O}";
                // a playlist's times are to the millisecond, the catalog's to the tick: a file that starts where the catalogued
                // footage ends may be listed up to a millisecond before it
                return chunks.Count > 0 && (chunks[^1].Start >= catalogued.AddMilliseconds(-1) || HintedFile(text) >= catalogued.AddMilliseconds(-LiveJournalOverlapMs))
                    && (last = chunks[^1].Sequence) > 0;
            },
            "the live playlist lists the holder's open file", _playback, holder);
        TestContext.Current.TestOutputHelper?.WriteLine($"the holder's open file in the live playlist: {seen}");
        var grown = "";
        await Observe.UntilAsync(async () => watcher.Observe(grown = await _playback.Admin.GetStringAsync(hls)) is { Count: > 0 } chunks && chunks[^1].Sequence > last,
            "the live playlist grows", _playback, holder);
        using var scratch = new TempFolder("footage-scale-out-live");
        Assert.Equal("", await Observe.DecodeSnapshotErrorsAsync(grown, new Uri(_playback.BaseAddress, $"api/v1/playback/{camera}/"), scratch.Path));
        Assert.Empty(watcher.Violations);
    }

    /// <summary>Refreshes a camera's live playlist from the Playback process every half second, as a player does, until stopped.</summary>
    private Task WatchLiveAsync(Guid camera, LivePlaylistWatcher watcher, CancellationToken stop) => Task.Run(async () =>
    {
        var hls = new Uri(_playback.BaseAddress, $"api/v1/playback/{camera}/hls");
        while (!stop.IsCancellationRequested)
        {
            using var response = await _playback.Admin.GetAsync(hls, CancellationToken.None);
            if (response.IsSuccessStatusCode)
            {
                watcher.Observe(await response.Content.ReadAsStringAsync(CancellationToken.None));
            }

            await Task.Delay(500, CancellationToken.None);
        }
    }, CancellationToken.None);

    [Fact]
    public async Task Three_recorders_record_each_camera_once_and_the_survivors_take_over_a_killed_one_s_cameras_within_the_lease_timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var (rec1, rec2, rec3) = (_recorders[0], _recorders[1], _recorders[2]);
        await Observe.UntilAsync(async () => (await HoldingsAsync(rec1)).Count == 3, "the three recorders see one another", _recorders);

        var cameras = new Guid[Cameras];
        for (var i = 0; i < Cameras; i++)
        {
            var created = await _storage.Admin.PostAsJsonAsync("api/v1/cameras", new { name = $"shared cam {i + 1}", source = "sim", rtsp_url = _simulator!.Url(i + 1), storage_mode = "LOCAL" }, ct);
            cameras[i] = (await created.AssertJsonAsync(System.Net.HttpStatusCode.Created)).GetProperty("id").GetGuid();
            (await _recorders[i % 3].Admin.PostAsync($"api/v1/recording/start/{cameras[i]}", null, ct)).EnsureSuccessStatusCode();
        }

        // spread evenly: two cameras each, every camera held by exactly one recorder
        await Observe.UntilAsync(() => EveryCameraOnceAsync(rec1, cameras, h => h.Count == 3 && h.Values.All(c => c.Length == 2)),
            "the six cameras are spread two per recorder", _recorders);
        foreach (var camera in cameras)
        {
            await Observe.WaitForSegmentsAsync(_storage, camera, 2, null, _recorders);
        }

        // one truth: each recorder answers for the cameras the others hold as they do themselves
        var holders = HolderOf(await HoldingsAsync(rec1));
        await EveryRecorderSaysAsync(cameras, _recorders, c => ("RECORDING", true, holders[c]), "six cameras on three recorders");

        var liveCheck = System.Diagnostics.Stopwatch.StartNew();
        await LiveEdgeOfAnotherRecorderPlaysAsync((await HoldingsAsync(rec1))["rec-2"][0], rec2);
        TestContext.Current.TestOutputHelper?.WriteLine($"live edge through rec-1 of a camera rec-2 holds: grew and decoded in {liveCheck.Elapsed.TotalSeconds:0.0} s");
        Assert.True(await Observe.MetricAsync(rec1, "footage_recording_recorders_live") >= 3);
        Assert.Equal(2, await Observe.MetricAsync(rec3, "footage_recording_leases_held"));

        // rec-3 dies with its ffmpegs (SIGKILL): nothing closed, nothing given back. A player watches the live edge of one of
        // its cameras all along: the takeover and rec-3's late delivery of what it had recorded change nothing it was shown
        var victims = (await HoldingsAsync(rec1))["rec-3"];
        var liveWatcher = new LivePlaylistWatcher();
        using var stopWatching = new CancellationTokenSource();
        var watching = WatchLiveAsync(victims[0], liveWatcher, stopWatching.Token);
        await Observe.UntilAsync(() => Task.FromResult(liveWatcher.Refreshes >= 4), "a player watches the live edge", _playback);
        var killedAt = DateTimeOffset.UtcNow;
        await rec3.KillAsync();
        await Observe.UntilAsync(() => EveryCameraOnceAsync(rec1, cameras, h => !h.ContainsKey("rec-3") && h.Values.All(c => c.Length == 3)),
            "rec-1 and rec-2 take rec-3's cameras, three each", rec1, rec2);
        var leases = await LeasesAsync();
        foreach (var camera in victims)
        {
            // the takeover waits for the lease to expire, and not much longer (one renewal round, on a busy machine)
            var took = leases[camera].AcquiredAt - killedAt;
            Assert.True(took >= LeaseDuration - TimeSpan.FromSeconds(1.5), $"camera {camera} was taken {took} after the kill, before its lease could expire");
            Assert.True(took <= LeaseDuration + TimeSpan.FromSeconds(15), $"camera {camera} was taken only {took} after the kill");
            TestContext.Current.TestOutputHelper?.WriteLine($"camera {camera}: lease taken by {leases[camera].Recorder} {took.TotalSeconds:0.00} s after the kill");
        }

        var takenAt = victims.Max(c => leases[c].AcquiredAt);
        var survivors = HolderOf(await HoldingsAsync(rec1));
        await EveryRecorderSaysAsync(cameras, [rec1, rec2], c => ("RECORDING", true, survivors[c]), "after rec-3 was killed and its cameras taken over");
        foreach (var camera in victims)
        {
            await Observe.WaitForSegmentsAsync(_storage, camera, 2, s => s.GetProperty("start_time").GetDateTimeOffset() > leases[camera].AcquiredAt, rec1, rec2);
        }

        // rec-3 comes back drained on its own spool: it delivers the segment it was writing when it died, and takes no camera
        var restarted = Keep(await FootageProcess.StartAsync("rec-3 again", Settings("recording", "rec-3", drained: true), rec3.DataDirectory, rec3.Port));
        await Observe.UntilAsync(async () =>
        {
            var status = await restarted.Admin.GetFromJsonAsync<JsonElement>("api/v1/recording/status");
            return status.GetProperty("cameras").EnumerateArray().All(c => c.GetProperty("spool_bytes").GetInt64() == 0);
        }, "the restarted rec-3 uploads what its spool held", restarted);
        var checkedUntil = DateTimeOffset.UtcNow;
        Assert.True((await HoldingsAsync(restarted))["rec-3"].Length == 0);
        await EveryRecorderSaysAsync(cameras, [rec1, rec2, restarted], c => ("RECORDING", true, survivors[c]), "rec-3 restarted drained, holding nothing");
        await Observe.UntilAsync(() => Task.FromResult(liveWatcher.Seen.Values.Any(c => c.Start > leases[victims[0]].AcquiredAt)),
            "the live playlist goes on with the new holder's footage", _playback);
        await stopWatching.CancelAsync();
        await watching;
        TestContext.Current.TestOutputHelper?.WriteLine($"live edge of camera {victims[0]} through the takeover: {liveWatcher.Refreshes} refreshes, {liveWatcher.Seen.Count} chunks");
        Assert.True(liveWatcher.Violations.Count == 0, string.Join('\n', liveWatcher.Violations.Take(5)));

        // the catalog: no footage twice (no overlap), no gap but the takeover of rec-3's cameras, every object as registered
        foreach (var camera in cameras)
        {
            var segments = await Observe.SegmentsAsync(_storage, camera);
            var gaps = new List<(DateTimeOffset From, DateTimeOffset To)>();
            for (var i = 1; i < segments.Length; i++)
            {
                var previousEnd = segments[i - 1].GetProperty("end_time").GetDateTimeOffset();
                var start = segments[i].GetProperty("start_time").GetDateTimeOffset();
                Assert.True(start >= previousEnd - TimeSpan.FromSeconds(0.5), $"camera {camera}: a segment starting {start:O} overlaps the one ending {previousEnd:O}");
                if (start - previousEnd > TimeSpan.FromSeconds(1.5) && start < checkedUntil)
                {
                    gaps.Add((previousEnd, start));
                }
            }

            if (!victims.Contains(camera))
            {
                Assert.True(gaps.Count == 0, $"camera {camera} (never moved) has gaps: {string.Join(", ", gaps)}");
                continue;
            }

            // the only gap runs from (about) the kill to the new recorder's first segment: what rec-3 had spooled was not lost
            var gap = Assert.Single(gaps);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"camera {camera}: footage until {(gap.From - killedAt).TotalSeconds:0.00} s after the kill, again from {(gap.To - killedAt).TotalSeconds:0.00} s (gap {(gap.To - gap.From).TotalSeconds:0.00} s), {segments.Length} segments");
            Assert.True(gap.From >= killedAt - TimeSpan.FromSeconds(3), $"camera {camera}: footage before the kill is missing ({gap.From:O} .. {gap.To:O}, killed {killedAt:O})");
            Assert.True(gap.To <= leases[camera].AcquiredAt + TimeSpan.FromSeconds(20), $"camera {camera}: the new recorder started late ({gap.To:O}, lease {leases[camera].AcquiredAt:O})");
            foreach (var segment in segments)
            {
                var bytes = await _storage.Admin.GetByteArrayAsync($"api/v1/storage/segments/by-id/{segment.GetProperty("id").GetGuid()}/content", ct);
                Assert.Equal(segment.GetProperty("size_bytes").GetInt64(), bytes.LongLength);
                Assert.EndsWith(Convert.ToHexStringLower(SHA256.HashData(bytes)), segment.GetProperty("checksum").GetString());
            }
        }

        // put back to work, rec-3 takes its share from the others; then rec-1, drained, hands its cameras to rec-2 and rec-3
        (await restarted.Admin.DeleteAsync("api/v1/recording/drain", ct)).EnsureSuccessStatusCode();
        await Observe.UntilAsync(() => EveryCameraOnceAsync(rec1, cameras, h => h.Count == 3 && h.Values.All(c => c.Length == 2)),
            "rec-3 takes two cameras again", rec1, rec2, restarted);
        var drained = await rec1.Admin.PostAsync("api/v1/recording/drain", null, ct);
        var drainStatus = await drained.AssertJsonAsync(System.Net.HttpStatusCode.OK);
        Assert.True(drainStatus.GetProperty("draining").GetBoolean());
        Assert.Empty(drainStatus.GetProperty("recorders").EnumerateArray().Single(r => r.GetProperty("recorder_id").GetString() == "rec-1").GetProperty("cameras").EnumerateArray());
        await Observe.UntilAsync(() => EveryCameraOnceAsync(rec2, cameras, h => h["rec-1"].Length == 0 && h["rec-2"].Length == 3 && h["rec-3"].Length == 3),
            "rec-2 and rec-3 take the drained rec-1's cameras", rec1, rec2, restarted);
        Assert.Equal(1, await Observe.MetricAsync(rec1, "footage_recording_draining"));
        Assert.True(await Observe.MetricAsync(rec1, "footage_recording_leases_released_total", "reason=\"drained\"") >= 2);
        Assert.True(takenAt > killedAt);

        // stopped and started again through rec-1, which holds none of the cameras now: rec-2's camera stops on rec-2 (told at
        // once through the database), and is recorded again by a recorder with room; every recorder says so
        var everyone = new[] { rec1, rec2, restarted };
        var before = HolderOf(await HoldingsAsync(rec2));
        var moved = before.First(h => h.Value == "rec-2").Key;
        var stopped = await (await rec1.Admin.PostAsync($"api/v1/recording/stop/{moved}", null, ct)).AssertJsonAsync(System.Net.HttpStatusCode.OK);
        Assert.False(stopped.GetProperty("should_record").GetBoolean());
        var tookToStop = await EveryRecorderSaysAsync(cameras, everyone, c => c == moved ? ("STOPPED", false, null) : ("RECORDING", true, before[c]),
            "a camera of rec-2 stopped through rec-1");
        Assert.DoesNotContain(moved, (await HoldingsAsync(rec2))["rec-2"]);
        var started = await (await rec1.Admin.PostAsync($"api/v1/recording/start/{moved}", null, ct)).AssertJsonAsync(System.Net.HttpStatusCode.Accepted);
        Assert.True(started.GetProperty("should_record").GetBoolean());
        await Observe.UntilAsync(() => EveryCameraOnceAsync(rec2, cameras, h => h["rec-1"].Length == 0), "the camera started through rec-1 is taken", everyone);
        var after = HolderOf(await HoldingsAsync(rec2));
        Assert.NotEqual("rec-1", after[moved]);
        await EveryRecorderSaysAsync(cameras, everyone, c => ("RECORDING", true, after[c]), "the camera started again through rec-1");
        var restartedAt = DateTimeOffset.UtcNow;
        await Observe.WaitForSegmentsAsync(_storage, moved, 1, s => s.GetProperty("start_time").GetDateTimeOffset() > restartedAt - TimeSpan.FromSeconds(1), everyone);
        TestContext.Current.TestOutputHelper?.WriteLine($"stop through a recorder that does not hold the camera: applied everywhere in {tookToStop.TotalSeconds:0.0} s");
    }
}

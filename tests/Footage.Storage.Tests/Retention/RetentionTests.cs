using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Data;
using Footage.Storage.Retention;
using Footage.Storage.Tests.Backends;
using Footage.Storage.Tests.Exports;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Storage.Tests.Retention;

/// <summary>The retention job through the real host, the same tests on SQLite and on PostgreSQL.</summary>
public abstract class RetentionTests(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly DateTimeOffset _now = StoredSegments.Now();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task Recordings_past_their_cameras_retention_go_and_younger_ones_stay()
    {
        var server = await StartAsync();
        var standard = Guid.NewGuid();
        var shortLived = Guid.NewGuid();
        var longLived = Guid.NewGuid();
        await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { id = shortLived, name = "short", retention_days = 5 })).AssertJsonAsync(HttpStatusCode.Created);
        await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { id = longLived, name = "long" })).AssertJsonAsync(HttpStatusCode.Created);
        await (await server.Admin.PutAsJsonAsync($"api/v1/cameras/{longLived}", new { name = "long", retention_days = 200 })).AssertJsonAsync(HttpStatusCode.OK);

        var standardOld = await StoreAsync(server, standard, DaysAgo(100));
        var standardRecent = await StoreAsync(server, standard, DaysAgo(10));
        var shortOld = await StoreAsync(server, shortLived, DaysAgo(10));
        var shortRecent = await StoreAsync(server, shortLived, DaysAgo(2));
        var longOld = await StoreAsync(server, longLived, DaysAgo(100));

        var report = await RunAsync(server);

        Assert.Equal(2, report.GetProperty("segments_deleted_by_age").GetInt32());
        Assert.Equal(2, report.GetProperty("objects_deleted").GetInt32());
        Assert.Equal(0, report.GetProperty("deletion_queue_pending").GetInt64());
        await AssertGoneAsync(server, standardOld, shortOld);
        await AssertKeptAsync(server, standardRecent, shortRecent, longOld);
    }

    [Fact]
    public async Task Exports_past_their_expiry_become_expired_lose_their_files_and_download_as_410()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var server = await StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var camera = Guid.NewGuid();
        var t0 = _now.AddHours(-1);
        await RecordedFootage.RecordAsync(server, camera, t0, count: 1);
        var id = await RecordedFootage.CreateExportAsync(server.Admin, new { camera_ids = new[] { camera }, start_time = t0, end_time = t0.AddSeconds(4) });
        var export = await RecordedFootage.WaitUntilFinishedAsync(server.Admin, id);
        Assert.Equal("COMPLETED", export.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync($"api/v1/storage/exports/{id}/download")).StatusCode);
        var exportsBucket = server.Get<IStorageBackendRegistry>().Default;
        Assert.Equal(2, await CountAsync(exportsBucket.ListAsync(StorageBuckets.Exports, $"{id:D}/", CancellationToken.None)));

        clock.Advance(TimeSpan.FromDays(8));
        var report = await RunAsync(server);

        Assert.Equal(1, report.GetProperty("exports_expired").GetInt32());
        Assert.Equal(0, report.GetProperty("segments_deleted_by_age").GetInt32());
        var expired = await (await server.Admin.GetAsync($"api/v1/storage/exports/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("EXPIRED", expired.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, expired.GetProperty("download_url").ValueKind);
        await (await server.Admin.GetAsync($"api/v1/storage/exports/{id}/download")).AssertProblemAsync(HttpStatusCode.Gone);
        Assert.Equal(0, await CountAsync(exportsBucket.ListAsync(StorageBuckets.Exports, $"{id:D}/", CancellationToken.None)));
        Assert.Equal(0, (await RunAsync(server)).GetProperty("exports_expired").GetInt32());
    }

    [Fact]
    public async Task Thumbnails_older_than_thirty_days_go_with_their_objects()
    {
        var server = await StartAsync();
        var camera = Guid.NewGuid();
        var old = await InsertThumbnailAsync(server, camera, DaysAgo(40));
        var recent = await InsertThumbnailAsync(server, camera, DaysAgo(5));

        var report = await RunAsync(server);

        Assert.Equal(1, report.GetProperty("thumbnails_deleted").GetInt32());
        var backend = server.Get<IStorageBackendRegistry>().Default;
        Assert.Null(await backend.StatAsync(StorageBuckets.Thumbnails, old, CancellationToken.None));
        Assert.NotNull(await backend.StatAsync(StorageBuckets.Thumbnails, recent, CancellationToken.None));
        Assert.Equal([recent], await ThumbnailPathsAsync(server, camera));
    }

    [Fact]
    public async Task A_backend_over_its_size_limit_loses_its_oldest_recordings_down_to_the_limit()
    {
        var server = await StartAsync(new() { ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "5000" });
        var stored = await StoreHourlyAsync(server, 8, 1000);

        var report = await RunAsync(server);

        Assert.Equal(3, report.GetProperty("segments_deleted_by_size").GetInt32());
        await AssertGoneAsync(server, stored.Take(3).ToArray());
        await AssertKeptAsync(server, stored.Skip(3).ToArray());
        Assert.Equal(0, (await RunAsync(server)).GetProperty("segments_deleted_by_size").GetInt32());
    }

    [Fact]
    public async Task A_disk_under_its_free_space_floor_loses_its_oldest_recordings_first()
    {
        var server = await StartAsync(new() { ["Footage:Storage:Retention:Backends:filesystem:MinFreeBytes"] = "1" });
        var stored = await StoreHourlyAsync(server, 10, 1024 * 1024);

        // The disk is shared with other work, so the floor is set from the free space of this moment: about
        // half of the 10 MiB must go. Other writers may move that either way; the oldest must always go first.
        var backend = server.Get<IStorageBackendRegistry>().Default;
        var limits = server.Get<IOptions<StorageOptions>>().Value.Retention.Backends["filesystem"];
        limits.MinFreeBytes = backend.GetAvailableFreeBytes()!.Value + (5 * 1024 * 1024);
        var report = await RunAsync(server);

        var deleted = report.GetProperty("segments_deleted_for_free_space").GetInt32();
        Assert.True(deleted >= 1, "nothing was deleted although the disk was under its floor");
        await AssertGoneAsync(server, stored.Take(deleted).ToArray());
        await AssertKeptAsync(server, stored.Skip(deleted).ToArray());
    }

    [Fact]
    public async Task Footage_under_an_evidence_hold_is_kept_by_retention_and_refused_by_delete()
    {
        var camera = Guid.NewGuid();
        var held = new SegmentHold(camera, new TimeRange(DaysAgo(101), DaysAgo(99)), "incident 7");
        var server = await StartAsync(services: s => s.AddSingleton<ISegmentHoldProvider>(new FixedHolds([held])));
        var heldSegment = await StoreAsync(server, camera, DaysAgo(100));
        var unheld = await StoreAsync(server, camera, DaysAgo(120));
        var otherCamera = await StoreAsync(server, Guid.NewGuid(), DaysAgo(100));

        var report = await RunAsync(server);

        Assert.Equal(2, report.GetProperty("segments_deleted_by_age").GetInt32());
        Assert.Equal(1, report.GetProperty("segments_kept_under_hold").GetInt32());
        await AssertGoneAsync(server, unheld, otherCamera);
        await AssertKeptAsync(server, heldSegment);

        var segment = await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(heldSegment)}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.True(segment.GetProperty("evidence_hold").GetBoolean());
        Assert.Equal("incident 7", segment.GetProperty("hold_reason").GetString());
        var problem = await (await server.Admin.DeleteAsync($"api/v1/storage/segments/{Id(heldSegment)}")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("incident 7", problem.GetProperty("detail").GetString());
        await AssertKeptAsync(server, heldSegment);
    }

    [Fact]
    public async Task Two_runs_started_together_delete_exactly_what_one_run_would()
    {
        var server = await StartAsync(new() { ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "5000" });
        var old = new[] { await StoreAsync(server, Guid.NewGuid(), DaysAgo(100)), await StoreAsync(server, Guid.NewGuid(), DaysAgo(95)) };
        var stored = await StoreHourlyAsync(server, 8, 1000);
        var job = server.Get<RetentionJob>();

        var reports = await Task.WhenAll(job.RunAsync(CancellationToken.None), job.RunAsync(CancellationToken.None));

        Assert.Equal(2, reports.Sum(r => r.SegmentsDeletedByAge));
        Assert.Equal(3, reports.Sum(r => r.SegmentsDeletedBySize));
        await AssertGoneAsync(server, old);
        await AssertGoneAsync(server, stored.Take(3).ToArray());
        await AssertKeptAsync(server, stored.Skip(3).ToArray());
    }

    [Fact]
    public async Task Two_retention_requests_at_the_same_moment_both_succeed_and_trim_the_excess_once()
    {
        var server = await StartAsync(new() { ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "5000" });
        var stored = await StoreHourlyAsync(server, 8, 1000);

        var responses = await Task.WhenAll(
            server.Admin.PostAsync("api/v1/storage/retention/run", null), server.Admin.PostAsync("api/v1/storage/retention/run", null));

        var reports = await Task.WhenAll(responses.Select(r => r.AssertJsonAsync(HttpStatusCode.OK)));
        Assert.Equal(3, reports.Sum(r => r.GetProperty("segments_deleted_by_size").GetInt32()));
        await AssertGoneAsync(server, stored.Take(3).ToArray());
        await AssertKeptAsync(server, stored.Skip(3).ToArray());
    }

    [Fact]
    public async Task An_object_store_outage_during_deletion_queues_the_object_and_a_later_run_deletes_it()
    {
        var s3 = new S3Server();
        await s3.InitializeAsync();
        _owned.Add(s3);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var server = await StartAsync(S3SegmentsApiTests.S3Settings(s3), s => s.AddSingleton<TimeProvider>(clock));
        var camera = Guid.NewGuid();
        var old = await StoreAsync(server, camera, DaysAgo(100));
        var recent = await StoreAsync(server, camera, DaysAgo(1));
        var path = old.GetProperty("storage_path").GetString()!;
        Assert.Equal("s3", old.GetProperty("storage_backend").GetString());

        s3.Stop();
        var during = await RunAsync(server);

        Assert.Equal(1, during.GetProperty("segments_deleted_by_age").GetInt32());
        Assert.Equal(0, during.GetProperty("objects_deleted").GetInt32());
        Assert.Equal(1, during.GetProperty("deletion_queue_pending").GetInt64());
        await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(old)}")).AssertProblemAsync(HttpStatusCode.NotFound);

        // meanwhile the catalog answers, and what needs the object store says it is unavailable
        await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(recent)}")).AssertJsonAsync(HttpStatusCode.OK);
        await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(recent)}/content")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        var unregistered = new
        {
            camera_id = camera, start_time = DaysAgo(1).AddHours(1), end_time = DaysAgo(1).AddHours(2), size_bytes = 10, checksum = new string('a', 64),
        };
        await (await server.Admin.PostAsJsonAsync("api/v1/storage/segments", unregistered)).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);

        await s3.StartAsync();
        var backend = server.Get<IStorageBackendRegistry>().Get("s3");
        Assert.NotNull(await backend.StatAsync(StorageBuckets.Recordings, path, CancellationToken.None));

        clock.Advance(TimeSpan.FromMinutes(10)); // past the retry backoff of the failed deletion
        var after = await RunAsync(server);

        Assert.Equal(1, after.GetProperty("objects_deleted").GetInt32());
        Assert.Equal(0, after.GetProperty("deletion_queue_pending").GetInt64());
        Assert.Null(await backend.StatAsync(StorageBuckets.Recordings, path, CancellationToken.None));
        await AssertKeptAsync(server, recent);
    }

    [Fact]
    public async Task A_deleted_segment_takes_its_thumbnail_object_with_it()
    {
        var server = await StartAsync();
        var camera = Guid.NewGuid();
        var start = DaysAgo(100);
        var backend = server.Get<IStorageBackendRegistry>().Default;
        var thumbnail = ObjectKeys.ForSegment(camera, start, "jpg");
        await backend.PutAsync(StorageBuckets.Thumbnails, thumbnail, new MemoryStream([0xFF, 0xD8, 0xFF, 0xD9]), null, CancellationToken.None);
        var content = System.Text.Encoding.UTF8.GetBytes("thumbnailed segment");
        var path = ObjectKeys.ForSegment(camera, start);
        var stored = await backend.PutAsync(StorageBuckets.Recordings, path, new MemoryStream(content), null, CancellationToken.None);
        var segment = await (await server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = camera, start_time = start, end_time = start.AddMinutes(10), size_bytes = stored.Size, checksum = stored.Sha256, storage_path = path, thumbnail_path = thumbnail,
        })).AssertJsonAsync(HttpStatusCode.Created);

        var report = await RunAsync(server);

        Assert.Equal(1, report.GetProperty("segments_deleted_by_age").GetInt32());
        Assert.Equal(2, report.GetProperty("objects_deleted").GetInt32());
        await AssertGoneAsync(server, segment);
        Assert.Null(await backend.StatAsync(StorageBuckets.Thumbnails, thumbnail, CancellationToken.None));
    }

    [Fact]
    public async Task Over_the_size_limit_a_held_recording_is_skipped_and_the_next_oldest_goes_instead()
    {
        var holds = new FixedHolds([]);
        var server = await StartAsync(
            new() { ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "5000" },
            s => s.AddSingleton<ISegmentHoldProvider>(holds));
        var stored = await StoreHourlyAsync(server, 8, 1000);
        var oldest = stored[0];
        holds.Set([new SegmentHold(oldest.GetProperty("camera_id").GetGuid(),
            new TimeRange(oldest.GetProperty("start_time").GetDateTimeOffset(), oldest.GetProperty("end_time").GetDateTimeOffset()), "incident 9")]);

        var report = await RunAsync(server);

        Assert.Equal(3, report.GetProperty("segments_deleted_by_size").GetInt32());
        Assert.Equal(1, report.GetProperty("segments_kept_under_hold").GetInt32());
        await AssertKeptAsync(server, oldest);
        await AssertGoneAsync(server, stored.Skip(1).Take(3).ToArray());
        await AssertKeptAsync(server, stored.Skip(4).ToArray());
    }

    [Fact]
    public async Task Only_admins_run_retention_by_hand()
    {
        var server = await StartAsync();
        await (await (await server.ClientAsync("operator")).PostAsync("api/v1/storage/retention/run", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await server.CreateClient().PostAsync("api/v1/storage/retention/run", null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Two_hosts_sharing_a_database_and_storage_trim_the_excess_once_when_they_run_together()
    {
        var first = await StartAsync(new() { ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "5000" });
        var databaseOptions = first.Get<IOptions<DatabaseOptions>>().Value;
        var second = await StartAsync(new()
        {
            ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "5000",
            ["Footage:Database:ConnectionString"] = databaseOptions.IsPostgres
                ? databaseOptions.ConnectionString
                : $"Data Source={Path.Combine(first.DataDirectory, "footage.db")}",
            ["Footage:Storage:Filesystem:Root"] = Path.Combine(first.DataDirectory, "storage"),
        });
        var stored = await StoreHourlyAsync(first, 8, 1000);

        var reports = await Task.WhenAll(first.Get<RetentionJob>().RunAsync(CancellationToken.None), second.Get<RetentionJob>().RunAsync(CancellationToken.None));

        Assert.Contains(reports, r => r.Ran);
        Assert.Equal(3, reports.Sum(r => r.SegmentsDeletedBySize));
        await AssertGoneAsync(first, stored.Take(3).ToArray());
        await AssertKeptAsync(second, stored.Skip(3).ToArray());
    }

    [Fact]
    public async Task Work_larger_than_one_batch_is_done_whole_in_one_run()
    {
        var heldCamera = Guid.NewGuid();
        var holds = new FixedHolds([new SegmentHold(heldCamera, new TimeRange(DaysAgo(200), DaysAgo(90)), "incident 3")]);
        var server = await StartAsync(
            new()
            {
                ["Footage:Storage:Retention:BatchSize"] = "2",
                ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "3000",
            },
            s => s.AddSingleton<ISegmentHoldProvider>(holds));
        var held = await StoreAsync(server, heldCamera, DaysAgo(150));
        var old = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
        {
            old.Add(await StoreAsync(server, Guid.NewGuid(), DaysAgo(100 + i)));
        }

        var recent = await StoreHourlyAsync(server, 6, 1000);
        var thumbnails = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            thumbnails.Add(await InsertThumbnailAsync(server, Guid.NewGuid(), DaysAgo(40 + i)));
        }

        var report = await RunAsync(server);

        Assert.Equal(4, report.GetProperty("segments_deleted_by_age").GetInt32());
        Assert.Equal(1, report.GetProperty("segments_kept_under_hold").GetInt32());
        Assert.Equal(3, report.GetProperty("thumbnails_deleted").GetInt32());
        Assert.Equal(0, report.GetProperty("deletion_queue_pending").GetInt64());
        await AssertGoneAsync(server, old.ToArray());
        await AssertKeptAsync(server, held);
        var backend = server.Get<IStorageBackendRegistry>().Default;
        foreach (var thumbnail in thumbnails)
        {
            Assert.Null(await backend.StatAsync(StorageBuckets.Thumbnails, thumbnail, CancellationToken.None));
        }

        // the held segment's bytes count against the limit but it cannot go: 6000 + its few bytes is over
        // 3000 by a little more than three recordings, so the four oldest recent ones make up for it
        var sizeDeleted = report.GetProperty("segments_deleted_by_size").GetInt32();
        Assert.Equal(4, sizeDeleted);
        await AssertGoneAsync(server, recent.Take(sizeDeleted).ToArray());
        await AssertKeptAsync(server, recent.Skip(sizeDeleted).ToArray());
        Assert.Equal(4 + 4 + 3, report.GetProperty("objects_deleted").GetInt32());
    }

    [Fact]
    public async Task The_host_runs_retention_by_itself_every_interval()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var server = await StartAsync(
            new() { ["Footage:Storage:Retention:Enabled"] = "true", ["Footage:Storage:Retention:Interval"] = "01:00:00" },
            s => s.AddSingleton<TimeProvider>(clock));
        var old = await StoreAsync(server, Guid.NewGuid(), DaysAgo(100));
        var recent = await StoreAsync(server, Guid.NewGuid(), DaysAgo(3));

        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while ((await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(old)}")).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "no retention run deleted the 100-day-old segment");
            clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(100);
        }

        await AssertGoneAsync(server, old);
        await AssertKeptAsync(server, recent);
    }

    private async Task<FootageServer> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var server = await FootageServer.StartAsync(database, postgres, settings, services);
        _owned.Add(server);
        return server;
    }

    private DateTimeOffset DaysAgo(int days) => _now.AddDays(-days);

    private static Guid Id(JsonElement segment) => segment.GetProperty("id").GetGuid();

    private static async Task<JsonElement> RunAsync(FootageServer server) =>
        await (await server.Admin.PostAsync("api/v1/storage/retention/run", null)).AssertJsonAsync(HttpStatusCode.OK);

    private static Task<JsonElement> StoreAsync(FootageServer server, Guid camera, DateTimeOffset start) =>
        StoredSegments.StoreAndRegisterAsync(server, camera, start, start.AddMinutes(10), System.Text.Encoding.UTF8.GetBytes($"segment {camera} {start:O}"));

    /// <summary>Recent segments an hour apart, oldest first, alternating between two cameras.</summary>
    private async Task<IReadOnlyList<JsonElement>> StoreHourlyAsync(FootageServer server, int count, int size)
    {
        var cameras = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var stored = new List<JsonElement>();
        for (var i = 0; i < count; i++)
        {
            var start = _now.AddHours(i - count - 1);
            var content = new byte[size];
            new Random(i).NextBytes(content);
            stored.Add(await StoredSegments.StoreAndRegisterAsync(server, cameras[i % 2], start, start.AddMinutes(10), content));
        }

        return stored;
    }

    private static async Task AssertGoneAsync(FootageServer server, params JsonElement[] segments)
    {
        var backend = server.Get<IStorageBackendRegistry>();
        foreach (var segment in segments)
        {
            await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(segment)}")).AssertProblemAsync(HttpStatusCode.NotFound);
            var stat = await backend.Get(segment.GetProperty("storage_backend").GetString()!)
                .StatAsync(StorageBuckets.Recordings, segment.GetProperty("storage_path").GetString()!, CancellationToken.None);
            Assert.True(stat is null, $"the object of deleted segment {segment.GetProperty("start_time")} is still stored");
        }
    }

    private static async Task AssertKeptAsync(FootageServer server, params JsonElement[] segments)
    {
        var backend = server.Get<IStorageBackendRegistry>();
        foreach (var segment in segments)
        {
            var response = await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(segment)}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"segment {segment.GetProperty("start_time")} was deleted");
            Assert.NotNull(await backend.Get(segment.GetProperty("storage_backend").GetString()!)
                .StatAsync(StorageBuckets.Recordings, segment.GetProperty("storage_path").GetString()!, CancellationToken.None));
        }
    }

    /// <summary>Thumbnails are written by the recorder, which has no API for it: a row and an object as it leaves them.</summary>
    private static async Task<string> InsertThumbnailAsync(FootageServer server, Guid camera, DateTimeOffset capturedAt)
    {
        var backend = server.Get<IStorageBackendRegistry>().Default;
        var path = ObjectKeys.ForSegment(camera, capturedAt, "jpg");
        var stored = await backend.PutAsync(StorageBuckets.Thumbnails, path, new MemoryStream([0xFF, 0xD8, 0xFF, 0xD9]), null, CancellationToken.None);
        var db = server.Get<IDatabase>();
        var d = db.Dialect;
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(
                "INSERT INTO thumbnails (id, camera_id, captured_at, storage_backend, storage_path, size_bytes, created_at) VALUES (@id, @camera, @at, @backend, @path, @size, @at)")
            .With("id", d.Id(Guid.NewGuid())).With("camera", d.Id(camera)).With("at", d.Time(capturedAt)).With("backend", backend.Name)
            .With("path", path).With("size", stored.Size);
        await command.ExecuteNonQueryAsync();
        return path;
    }

    private static async Task<string[]> ThumbnailPathsAsync(FootageServer server, Guid camera)
    {
        var db = server.Get<IDatabase>();
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var command = connection.Command("SELECT storage_path FROM thumbnails WHERE camera_id = @camera").With("camera", db.Dialect.Id(camera));
        await using var reader = await command.ExecuteReaderAsync();
        var paths = new List<string>();
        while (await reader.ReadAsync())
        {
            paths.Add(reader.GetString(0));
        }

        return paths.ToArray();
    }

    private static async Task<int> CountAsync(IAsyncEnumerable<ObjectInfo> objects)
    {
        var count = 0;
        await foreach (var _ in objects)
        {
            count++;
        }

        return count;
    }

    /// <summary>Holds as an incident register would give them, settable while the host runs.</summary>
    private sealed class FixedHolds(IReadOnlyList<SegmentHold> holds) : ISegmentHoldProvider
    {
        private volatile IReadOnlyList<SegmentHold> _holds = holds;

        public void Set(IReadOnlyList<SegmentHold> holds) => _holds = holds;

        public Task<IReadOnlyList<SegmentHold>> GetHoldsAsync(CancellationToken cancellationToken) => Task.FromResult(_holds);
    }
}

public sealed class SqliteRetentionTests(PostgresServer postgres) : RetentionTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresRetentionTests(PostgresServer postgres) : RetentionTests(DatabaseKind.Postgres, postgres);

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

/// <summary>Retention by age, of exports and thumbnails, and evidence holds, through the real host on SQLite and PostgreSQL.</summary>
public abstract class RetentionTests(DatabaseKind database, PostgresServer postgres) : RetentionTestBase(database, postgres)
{
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
        var t0 = Now.AddHours(-1);
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
    public async Task Footage_under_an_evidence_hold_is_kept_by_retention_and_refused_by_delete()
    {
        var camera = Guid.NewGuid();
        var held = new SegmentHold(camera, new TimeRange(DaysAgo(101), DaysAgo(99)), "incident 7");
        var server = await StartAsync();
        await HoldAsync(server, held);
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
    public async Task A_deleted_segment_takes_its_thumbnail_object_with_it()
    {
        var server = await StartAsync();
        var camera = Guid.NewGuid();
        var start = DaysAgo(100);
        var backend = server.Get<IStorageBackendRegistry>().Default;
        var thumbnail = ObjectKeys.ForThumbnail(camera, start);
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
    public async Task Only_admins_run_retention_by_hand()
    {
        var server = await StartAsync();
        await (await (await server.ClientAsync("operator")).PostAsync("api/v1/storage/retention/run", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await server.CreateClient().PostAsync("api/v1/storage/retention/run", null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
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

        // A run deletes rows first and their objects after (the deletion queue drains at the end of the run), so the test waits
        // for the object too: the row alone can be gone while the run that removed it is still going.
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        var backend = server.Get<IStorageBackendRegistry>().Get(old.GetProperty("storage_backend").GetString()!);
        while ((await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{Id(old)}")).StatusCode == HttpStatusCode.OK
            || await backend.StatAsync(StorageBuckets.Recordings, old.GetProperty("storage_path").GetString()!, CancellationToken.None) is not null)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "no retention run deleted the 100-day-old segment");
            clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(100);
        }

        await AssertGoneAsync(server, old);
        await AssertKeptAsync(server, recent);
    }
}

public sealed class SqliteRetentionTests(PostgresServer postgres) : RetentionTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresRetentionTests(PostgresServer postgres) : RetentionTests(DatabaseKind.Postgres, postgres);

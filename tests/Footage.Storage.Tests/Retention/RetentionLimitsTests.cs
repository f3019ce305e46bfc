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
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Storage.Tests.Retention;

/// <summary>Size limits, free-space floors, runs at the same moment and object-store outages, on SQLite and PostgreSQL.</summary>
public abstract class RetentionLimitsTests(DatabaseKind database, PostgresServer postgres) : RetentionTestBase(database, postgres)
{
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
        const long floor = 100L * 1024 * 1024;
        var free = floor;
        var server = await StartAsync(
            new() { ["Footage:Storage:Retention:Backends:filesystem:MinFreeBytes"] = floor.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services => services.Replace(ServiceDescriptor.Singleton<IStorageBackendRegistry>(sp =>
            {
                var root = Path.Combine(sp.GetRequiredService<IOptions<Footage.ServiceDefaults.FootageOptions>>().Value.DataDirectory, "storage");
                return new Footage.Storage.Backends.StorageBackendRegistry(
                    [new FixedFreeSpaceBackend(new Footage.Storage.Backends.FilesystemBackend(root), () => Volatile.Read(ref free))], "filesystem");
            })));
        var stored = await StoreHourlyAsync(server, 10, 1024 * 1024);

        // 5 MiB under the floor: the five oldest 1 MiB recordings must go, and only they
        Volatile.Write(ref free, floor - (5 * 1024 * 1024));
        var report = await RunAsync(server);

        Assert.Equal(5, report.GetProperty("segments_deleted_for_free_space").GetInt32());
        await AssertGoneAsync(server, stored.Take(5).ToArray());
        await AssertKeptAsync(server, stored.Skip(5).ToArray());
        var health = await server.CreateClient().GetFromJsonAsync<JsonElement>("health");
        Assert.Equal("Degraded", health.GetProperty("checks").GetProperty("storage_backends").GetProperty("status").GetString());
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
        // a gateway of its own: stopping the assembly's would fail the other tests using it
        var rgw = new RadosGateway();
        await rgw.InitializeAsync();
        Own(rgw);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var server = await StartAsync(S3SegmentsApiTests.S3Settings(rgw), s => s.AddSingleton<TimeProvider>(clock));
        var camera = Guid.NewGuid();
        var old = await StoreAsync(server, camera, DaysAgo(100));
        var recent = await StoreAsync(server, camera, DaysAgo(1));
        var path = old.GetProperty("storage_path").GetString()!;
        Assert.Equal("s3", old.GetProperty("storage_backend").GetString());

        await rgw.StopGatewayAsync();
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

        await rgw.StartGatewayAsync();
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
    public async Task Over_the_size_limit_a_held_recording_is_skipped_and_the_next_oldest_goes_instead()
    {
        var server = await StartAsync(new() { ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "5000" });
        var stored = await StoreHourlyAsync(server, 8, 1000);
        var oldest = stored[0];
        await HoldAsync(server, new SegmentHold(oldest.GetProperty("camera_id").GetGuid(),
            new TimeRange(oldest.GetProperty("start_time").GetDateTimeOffset(), oldest.GetProperty("end_time").GetDateTimeOffset()), "incident 9"));

        var report = await RunAsync(server);

        Assert.Equal(3, report.GetProperty("segments_deleted_by_size").GetInt32());
        Assert.Equal(1, report.GetProperty("segments_kept_under_hold").GetInt32());
        await AssertKeptAsync(server, oldest);
        await AssertGoneAsync(server, stored.Skip(1).Take(3).ToArray());
        await AssertKeptAsync(server, stored.Skip(4).ToArray());
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
        var server = await StartAsync(
            new()
            {
                ["Footage:Storage:Retention:BatchSize"] = "2",
                ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "3000",
            });
        await HoldAsync(server, new SegmentHold(heldCamera, new TimeRange(DaysAgo(200), DaysAgo(90)), "incident 3"));
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
        // the held segment moved to its copy in cctv-clips when it was registered; its original goes after a grace period
        Assert.Equal(1, report.GetProperty("deletion_queue_pending").GetInt64());
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
}

public sealed class SqliteRetentionLimitsTests(PostgresServer postgres) : RetentionLimitsTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresRetentionLimitsTests(PostgresServer postgres) : RetentionLimitsTests(DatabaseKind.Postgres, postgres);

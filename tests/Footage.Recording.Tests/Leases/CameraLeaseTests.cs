using Footage.Data;
using Footage.Data.Migrations;
using Footage.Recording.Cameras;
using Footage.Recording.Leases;
using Footage.Recording.Spool;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Recording.Tests.Leases;

/// <summary>
/// Recorders sharing cameras through <c>camera_leases</c>, on SQLite and PostgreSQL, with a fake clock: each camera
/// recorded by exactly one recorder, a fair share each, a silent recorder's cameras taken once its leases expire,
/// draining, rebalancing after a recorder joins, and a stopped camera given back.
/// </summary>
public abstract class CameraLeaseTests(DatabaseKind kind, PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new("camera-leases");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly List<CameraLeaseCoordinator> _coordinators = [];
    private IDatabase _database = null!;
    private RecordingStateRepository _state = null!;

    public async ValueTask InitializeAsync()
    {
        _database = kind == DatabaseKind.Postgres
            ? new PostgresDatabase(await postgres.CreateDatabaseAsync(), 30)
            : new SqliteDatabase($"Data Source={Path.Combine(_folder.Path, "leases.db")}", 30);
        await new MigrationRunner(_database, [new SharedMigrations(), new RecordingMigrations(), new LeaseMigrations()], NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(CancellationToken.None);
        _state = new RecordingStateRepository(_database, _clock);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var coordinator in _coordinators)
        {
            coordinator.Dispose();
        }

        if (_database is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _folder.Dispose();
    }

    private (CameraLeaseCoordinator Leases, FakeRecorders Cameras) Recorder(string id)
    {
        var options = Options.Create(new LeaseOptions { RecorderId = id, RecorderUrl = $"http://{id}.test:8080", Duration = Duration, RenewInterval = TimeSpan.FromSeconds(10) });
        var recording = Options.Create(new RecordingOptions { DemoCamera = { Enabled = false } });
        var coordinator = new CameraLeaseCoordinator(new CameraLeaseStore(_database), _state, new RecorderIdentity(options, new SpoolFolder(_folder.Path), new ServiceCollection().BuildServiceProvider()),
            options, recording, _clock, NullLogger<CameraLeaseCoordinator>.Instance);
        _coordinators.Add(coordinator);
        return (coordinator, new FakeRecorders());
    }

    private async Task<Guid[]> CamerasAsync(int count)
    {
        var cameras = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var camera in cameras)
        {
            await _state.SetAsync(camera, true, "test", CancellationToken.None);
        }

        return cameras;
    }

    private static async Task RoundAsync(params (CameraLeaseCoordinator Leases, FakeRecorders Cameras)[] recorders)
    {
        foreach (var (leases, _) in recorders)
        {
            await leases.RenewAsync(CancellationToken.None);
        }

        foreach (var (leases, cameras) in recorders)
        {
            await leases.PlanAsync(cameras, CancellationToken.None);
        }
    }

    private static void AssertEachCameraOnce(Guid[] cameras, params FakeRecorders[] recorders)
    {
        var recorded = recorders.SelectMany(r => r.Running).ToList();
        Assert.Equal(cameras.Order(), recorded.Order());
    }

    private async Task<Dictionary<Guid, string>> HoldersAsync()
    {
        var leases = await new CameraLeaseStore(_database).LeasesAsync(CancellationToken.None);
        return leases.ToDictionary(l => l.CameraId, l => l.RecorderId);
    }

    [Fact]
    public async Task Three_recorders_share_seven_cameras_once_each_and_take_over_a_silent_recorder_s_cameras_after_the_lease_expires()
    {
        var cameras = await CamerasAsync(7);
        var a = Recorder("rec-a");
        var b = Recorder("rec-b");
        var c = Recorder("rec-c");
        foreach (var (leases, _) in new[] { a, b, c })
        {
            await leases.RenewAsync(CancellationToken.None);
        }

        await RoundAsync(a, b, c);
        AssertEachCameraOnce(cameras, a.Cameras, b.Cameras, c.Cameras);
        Assert.All(new[] { a, b, c }, r => Assert.InRange(r.Cameras.Running.Count, 1, 3));
        var holders = await HoldersAsync();
        Assert.All(c.Cameras.Running, camera => Assert.Equal("rec-c", holders[camera]));

        // c goes silent (killed, or paused): nobody takes its cameras while its leases last
        var ofC = c.Cameras.Running.ToArray();
        _clock.Advance(Duration - TimeSpan.FromSeconds(1));
        await RoundAsync(a, b);
        Assert.Equal(7 - ofC.Length, a.Cameras.Running.Count + b.Cameras.Running.Count);

        // its leases expire: a and b take its cameras, each within its new share of ceil(7 / 2)
        _clock.Advance(TimeSpan.FromSeconds(2));
        await RoundAsync(a, b);
        AssertEachCameraOnce(cameras, a.Cameras, b.Cameras);
        Assert.All(new[] { a, b }, r => Assert.InRange(r.Cameras.Running.Count, 3, 4));

        // c wakes up: it finds its leases gone and stops recording them at once, without touching the new holders' leases
        await c.Leases.RenewAsync(CancellationToken.None);
        var plan = await c.Leases.PlanAsync(c.Cameras, CancellationToken.None);
        Assert.Equal(ofC.Order(), plan.Stop.Where(s => s.Reason == LeaseRelease.Lost).Select(s => s.CameraId).Order());
        Assert.Empty(c.Cameras.Running);
        var after = await HoldersAsync();
        Assert.All(ofC, camera => Assert.NotEqual("rec-c", after[camera]));
        AssertEachCameraOnce(cameras, a.Cameras, b.Cameras, c.Cameras);
    }

    [Fact]
    public async Task A_drained_recorder_gives_its_cameras_back_to_the_others_and_takes_its_share_again_when_put_back_to_work()
    {
        var cameras = await CamerasAsync(6);
        var a = Recorder("rec-a");
        var b = Recorder("rec-b");
        await a.Leases.RenewAsync(CancellationToken.None);
        await b.Leases.RenewAsync(CancellationToken.None);
        await RoundAsync(a, b);
        Assert.Equal(3, a.Cameras.Running.Count);
        Assert.Equal(3, b.Cameras.Running.Count);

        await a.Leases.DrainAsync(a.Cameras, true, CancellationToken.None);
        Assert.Empty(a.Cameras.Running);
        Assert.DoesNotContain("rec-a", (await HoldersAsync()).Values);
        var status = await a.Leases.StatusAsync(CancellationToken.None);
        Assert.True(status.Draining);
        Assert.True(status.Recorders.Single(r => r.RecorderId == "rec-a").Draining);

        // the drained recorder's cameras move to b (now alone in sharing them) in b's next round, not after a lease timeout
        await RoundAsync(a, b);
        AssertEachCameraOnce(cameras, a.Cameras, b.Cameras);
        Assert.Equal(6, b.Cameras.Running.Count);

        // back to work: b gives back what is over its share, a takes it
        await a.Leases.DrainAsync(a.Cameras, false, CancellationToken.None);
        await RoundAsync(b, a);
        AssertEachCameraOnce(cameras, a.Cameras, b.Cameras);
        Assert.Equal(3, a.Cameras.Running.Count);
        Assert.Equal(3, b.Cameras.Running.Count);
    }

    [Fact]
    public async Task A_single_recorder_holds_every_lease_and_a_stopped_camera_s_lease_is_given_back()
    {
        var cameras = await CamerasAsync(5);
        var only = Recorder("only");
        await RoundAsync(only);
        AssertEachCameraOnce(cameras, only.Cameras);
        Assert.All((await HoldersAsync()).Values, holder => Assert.Equal("only", holder));

        // the renewals keep the leases for as long as the recorder lives
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(20));
            await RoundAsync(only);
        }

        AssertEachCameraOnce(cameras, only.Cameras);
        Assert.Equal(5, only.Cameras.Started.Count);

        // a camera that should no longer record is stopped and its lease deleted
        await _state.SetAsync(cameras[0], false, "test", CancellationToken.None);
        await RoundAsync(only);
        AssertEachCameraOnce(cameras[1..], only.Cameras);
        Assert.False((await HoldersAsync()).ContainsKey(cameras[0]));

        // leaving (a graceful shutdown) gives every lease back at once
        await only.Leases.LeaveAsync(CancellationToken.None);
        Assert.Empty(await HoldersAsync());
        var next = Recorder("next");
        await RoundAsync(next);
        AssertEachCameraOnce(cameras[1..], next.Cameras);
    }

    [Fact]
    public async Task A_recorder_restarted_under_the_same_id_records_its_cameras_again_at_once_not_after_its_leases_expire()
    {
        var cameras = await CamerasAsync(3);
        var before = Recorder("steady");
        await RoundAsync(before);
        AssertEachCameraOnce(cameras, before.Cameras);

        // a crash: nothing given back; the new process under the same id finds its leases and starts them in its first round,
        // long before they would expire
        _clock.Advance(TimeSpan.FromSeconds(2));
        var after = Recorder("steady");
        await RoundAsync(after);
        AssertEachCameraOnce(cameras, after.Cameras);
        Assert.Equal(cameras.Order(), after.Cameras.Started.Order());

        // another recorder joining meanwhile gets its share from it in the same round, not after a lease timeout
        var other = Recorder("other");
        await other.Leases.RenewAsync(CancellationToken.None);
        await RoundAsync(after, other);
        AssertEachCameraOnce(cameras, after.Cameras, other.Cameras);
        Assert.Equal(2, after.Cameras.Running.Count);
    }

    [Fact]
    public async Task Two_recorders_racing_for_the_same_free_camera_never_both_get_it()
    {
        var store = new CameraLeaseStore(_database);
        var camera = Guid.NewGuid();
        var now = _clock.GetUtcNow();
        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            store.TryAcquireAsync(camera, $"racer-{i}", null, now, now + Duration, CancellationToken.None)));
        Assert.Equal(1, wins.Count(w => w));

        // the holder renews it; a lapsed lease goes to the first one to ask
        var holder = (await store.LeaseAsync(camera, CancellationToken.None))!.RecorderId;
        Assert.False(await store.TryAcquireAsync(camera, "late", null, now + Duration, now + Duration * 2, CancellationToken.None));
        Assert.True(await store.TryAcquireAsync(camera, holder, null, now + Duration, now + Duration * 2, CancellationToken.None));
        Assert.True(await store.TryAcquireAsync(camera, "late", null, now + Duration * 2 + TimeSpan.FromSeconds(1), now + Duration * 3, CancellationToken.None));
        Assert.Equal("late", (await store.LeaseAsync(camera, CancellationToken.None))!.RecorderId);
    }
}

public sealed class SqliteCameraLeaseTests(PostgresServer postgres) : CameraLeaseTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresCameraLeaseTests(PostgresServer postgres) : CameraLeaseTests(DatabaseKind.Postgres, postgres);

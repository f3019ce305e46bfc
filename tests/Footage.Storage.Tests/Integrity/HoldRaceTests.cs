using System.Net;
using System.Security.Cryptography;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Storage.Holds;
using Footage.Storage.Retention;
using Footage.Storage.Segments;
using Footage.Storage.Tests.Backends;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Integrity;

/// <summary>
/// A hold placed while footage is being deleted never loses held footage: every segment the hold covered when it was
/// committed still has its row and its object afterwards, whether the deletion came through the API or the retention job.
/// </summary>
public abstract class HoldRaceTests(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    private const int Rounds = 40;
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await FootageServer.StartAsync(database, postgres, new Dictionary<string, string?> { ["Footage:Storage:Retention:RecordingsDays"] = "30" });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_hold_racing_a_delete_through_the_api_never_loses_held_footage()
    {
        var outcomes = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var (segment, hold) = await PrepareAsync(round);
            var holding = Task.Run(() => PlaceAsync(segment, round));
            var deleting = Task.Run(() => _server.Admin.DeleteAsync($"api/v1/storage/segments/{segment.Id}"));
            await Task.WhenAll(holding, deleting);

            var covered = await holding;
            var status = (await deleting).StatusCode;
            Assert.True(status is HttpStatusCode.NoContent or HttpStatusCode.Conflict, $"round {round}: the DELETE answered {(int)status}");
            outcomes.Add(await AssertNoHeldFootageLostAsync(segment, covered, round));
            Assert.Equal(covered.Contains(segment.Id), status == HttpStatusCode.Conflict);
        }

        // the race went both ways; whichever came first, the invariant held
        TestContext.Current.SendDiagnosticMessage($"API race: {string.Join(", ", outcomes.CountBy(o => o).Select(c => $"{c.Key} {c.Value}"))}");
    }

    [Fact]
    public async Task A_hold_racing_the_retention_job_never_loses_held_footage()
    {
        var outcomes = new List<string>();
        var retention = _server.Get<RetentionJob>();
        for (var round = 0; round < Rounds; round++)
        {
            var (segment, _) = await PrepareAsync(round);
            var holding = Task.Run(() => PlaceAsync(segment, round));
            var deleting = Task.Run(() => retention.RunAsync(CancellationToken.None));
            await Task.WhenAll(holding, deleting);

            outcomes.Add(await AssertNoHeldFootageLostAsync(segment, await holding, round));
        }

        TestContext.Current.SendDiagnosticMessage($"retention race: {string.Join(", ", outcomes.CountBy(o => o).Select(c => $"{c.Key} {c.Value}"))}");
    }

    /// <summary>An old segment (past the 30 days of retention) of a camera of its own, stored and catalogued.</summary>
    private async Task<(Segment Segment, SegmentHold Hold)> PrepareAsync(int round)
    {
        var camera = Guid.NewGuid();
        var start = StoredSegments.Now().AddDays(-40).AddMinutes(round);
        var created = await StoredSegments.StoreAndRegisterAsync(_server, camera, start, start.AddSeconds(30), RandomNumberGenerator.GetBytes(4096));
        var segment = (await _server.Get<SegmentRepository>().GetAsync(created.GetProperty("id").GetGuid(), CancellationToken.None))!;
        return (segment, new SegmentHold(camera, new TimeRange(start.AddSeconds(-5), start.AddSeconds(35)), $"incident race {round}"));
    }

    /// <summary>Places the hold in its own transaction; returns the segments it covered when it committed.</summary>
    private Task<IReadOnlyList<Guid>> PlaceAsync(Segment segment, int round) =>
        _server.Get<SegmentHoldLedger>().ReplaceAsync("race", round.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [new SegmentHold(segment.CameraId, new TimeRange(segment.StartTime.AddSeconds(-5), segment.EndTime.AddSeconds(5)), $"incident race {round}")],
            CancellationToken.None);

    /// <summary>A segment the hold covered still has its row and its object (wherever the row says it is now); returns who won.</summary>
    private async Task<string> AssertNoHeldFootageLostAsync(Segment segment, IReadOnlyList<Guid> covered, int round)
    {
        var now = await _server.Get<SegmentRepository>().GetAsync(segment.Id, CancellationToken.None);
        if (!covered.Contains(segment.Id))
        {
            Assert.Null(now); // deleted before the hold was committed: the hold found nothing to cover
            return "deletion first";
        }

        Assert.True(now is not null, $"round {round}: held segment {segment.Id} lost its row");
        await _server.Get<DeletionQueue>().DrainAsync(CancellationToken.None);
        var stored = await _server.Get<IStorageBackendRegistry>().Get(now.StorageBackend).StatAsync(now.StorageBucket, now.StoragePath, CancellationToken.None);
        Assert.True(stored is not null && stored.Size == segment.SizeBytes, $"round {round}: held segment {segment.Id} lost its object {now.StorageBucket}/{now.StoragePath}");
        return "hold first";
    }
}

public sealed class SqliteHoldRaceTests(PostgresServer postgres) : HoldRaceTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresHoldRaceTests(PostgresServer postgres) : HoldRaceTests(DatabaseKind.Postgres, postgres);

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Tests.Backends;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Integrity;

/// <summary>
/// Held footage is kept by the store itself: an incident's footage moves to a read-only hard link under holds/ in cctv-clips
/// (no lifecycle expiry there), the catalog row points at it, and it goes back to normal retention when the hold ends.
/// </summary>
public abstract class HeldFootageTests(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(database, postgres, new Dictionary<string, string?>
    {
        ["Footage:Storage:Retention:RecordingsDays"] = "30",
        ["Footage:Metadata:EvidenceHoldAfterClose"] = "00:00:00",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_incident_moves_its_footage_to_a_read_only_copy_in_clips_that_retention_and_delete_cannot_take()
    {
        var camera = Guid.NewGuid();
        var start = StoredSegments.Now().AddDays(-40);
        var content = RandomNumberGenerator.GetBytes(50_000);
        var segment = await StoredSegments.StoreAndRegisterAsync(_server, camera, start, start.AddMinutes(10), content);
        var other = await StoredSegments.StoreAndRegisterAsync(_server, camera, start.AddHours(2), start.AddHours(2).AddMinutes(10), RandomNumberGenerator.GetBytes(100));
        var key = segment.GetProperty("storage_path").GetString()!;

        await CreateIncidentAsync(camera, start.AddMinutes(1), start.AddMinutes(5));
        var held = await WaitUntilMovedAsync(segment.GetProperty("id").GetGuid());

        Assert.Equal(ObjectKeys.ForHeldCopy(key), held.GetProperty("storage_path").GetString());
        Assert.True(held.GetProperty("evidence_hold").GetBoolean());
        var copy = Path.Combine(_server.DataDirectory, "storage", StorageBuckets.Clips, ObjectKeys.ForHeldCopy(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(copy));
        Assert.Equal(content, await File.ReadAllBytesAsync(copy));

        var report = await (await _server.Admin.PostAsync("api/v1/storage/retention/run", null)).AssertJsonAsync(HttpStatusCode.OK);
        await (await _server.Admin.DeleteAsync($"api/v1/storage/segments/{segment.GetProperty("id")}")).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(1, report.GetProperty("segments_deleted_by_age").GetInt32()); // the other segment, outside the incident
        await (await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{other.GetProperty("id")}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(content, await (await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{segment.GetProperty("id")}/content")).Content.ReadAsByteArrayAsync());
        // the original in cctv-recordings is queued for deletion after a grace period for readers of the old location
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM deletion_queue WHERE reason = 'held_copy'"));
    }

    [Fact]
    public async Task A_segment_registered_inside_a_held_range_is_held_at_registration()
    {
        var camera = Guid.NewGuid();
        var start = StoredSegments.Now().AddMinutes(-30);
        await CreateIncidentAsync(camera, start.AddMinutes(-10), start.AddMinutes(10));

        var segment = await StoredSegments.StoreAndRegisterAsync(_server, camera, start, start.AddMinutes(1), RandomNumberGenerator.GetBytes(1000));

        Assert.Equal(StorageBuckets.Clips, segment.GetProperty("storage_bucket").GetString());
        Assert.Equal(ObjectKeys.ForHeldCopy(ObjectKeys.ForSegment(camera, start)), segment.GetProperty("storage_path").GetString());
        Assert.True(segment.GetProperty("evidence_hold").GetBoolean());
    }

    [Fact]
    public async Task When_the_hold_ends_the_copy_is_released_and_normal_retention_deletes_it()
    {
        var camera = Guid.NewGuid();
        var start = StoredSegments.Now().AddDays(-40);
        var segment = await StoredSegments.StoreAndRegisterAsync(_server, camera, start, start.AddMinutes(10), RandomNumberGenerator.GetBytes(3000));
        var incident = await CreateIncidentAsync(camera, start, start.AddMinutes(10));
        var held = await WaitUntilMovedAsync(segment.GetProperty("id").GetGuid());
        var copy = Path.Combine(_server.DataDirectory, "storage", StorageBuckets.Clips, held.GetProperty("storage_path").GetString()!);

        // closed, with no hold after closing in this host's settings
        await (await _server.Admin.PatchAsJsonAsync($"api/v1/metadata/incidents/{incident}", new { status = "CLOSED" })).AssertJsonAsync(HttpStatusCode.OK);
        for (var attempt = 0; !File.GetUnixFileMode(copy).HasFlag(UnixFileMode.UserWrite); attempt++)
        {
            Assert.True(attempt < 100, "the hold keeper did not lift the store's hold within 20 s of the incident closing");
            await Task.Delay(200);
        }

        var report = await (await _server.Admin.PostAsync("api/v1/storage/retention/run", null)).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, report.GetProperty("segments_deleted_by_age").GetInt32());
        Assert.False(File.Exists(copy));
    }

    private async Task<Guid> CreateIncidentAsync(Guid camera, DateTimeOffset start, DateTimeOffset end)
    {
        var created = await (await _server.Admin.PostAsJsonAsync("api/v1/metadata/incidents", new
        {
            title = "Break-in", severity = "HIGH", camera_ids = new[] { camera }, start_time = start, end_time = end,
        })).AssertJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    /// <summary>The hold keeper acts as soon as the incident is saved; waits until the row points at the held copy.</summary>
    private async Task<JsonElement> WaitUntilMovedAsync(Guid id)
    {
        for (var attempt = 0; ; attempt++)
        {
            var segment = await (await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{id}")).AssertJsonAsync(HttpStatusCode.OK);
            if (segment.GetProperty("storage_bucket").GetString() == StorageBuckets.Clips)
            {
                return segment;
            }

            Assert.True(attempt < 100, $"segment {id} was not moved to its held copy within 20 s");
            await Task.Delay(200);
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        var db = _server.Get<IDatabase>();
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class SqliteHeldFootageTests(PostgresServer postgres) : HeldFootageTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresHeldFootageTests(PostgresServer postgres) : HeldFootageTests(DatabaseKind.Postgres, postgres);

using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Data;
using Footage.Storage.Holds;
using Footage.Storage.Segments;
using Footage.Storage.Tests.Exports;
using Footage.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace Footage.Storage.Tests.Integrity;

/// <summary>
/// After the catalog is restored from a backup older than some footage, <c>dotnet Footage.Server.dll repair register-orphans</c>
/// finds the stored objects without rows and registers them as the recorder would have (indexed and hashed), a held copy as
/// a held segment.
/// </summary>
public abstract class RepairTests(DatabaseKind database, PostgresServer postgres) : IDisposable
{
    private readonly TempFolder _data = new("footage-repair");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_repair_command_registers_orphaned_footage_again_as_the_recorder_had()
    {
        var camera = Guid.NewGuid();
        var legacyCamera = Guid.NewGuid();
        var t0 = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var legacyStart = t0.AddHours(-1);
        Dictionary<string, string?> settings = new() { ["Footage:DataDirectory"] = _data.Path };
        IReadOnlyList<Segment> before;
        await using (var server = await FootageServer.StartAsync(database, postgres, settings))
        {
            if (database == DatabaseKind.Postgres)
            {
                settings["Footage:Database:Provider"] = "postgresql";
                settings["Footage:Database:ConnectionString"] = server.Get<IOptions<DatabaseOptions>>().Value.ConnectionString;
            }

            await RecordedFootage.RecordAsync(server, camera, t0, count: 3, keyframes: true);
            await server.Get<SegmentHoldLedger>().ReplaceAsync("test", "repair",
                [new SegmentHold(camera, new TimeRange(t0.AddSeconds(5), t0.AddSeconds(6)), "incident R")], CancellationToken.None);
            before = await MovedAsync(server, camera);

            // the catalog as a backup from before this footage: its rows (and the deletions they queued) are gone, the objects are not
            var db = server.Get<IDatabase>();
            await using var connection = await db.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync($"DELETE FROM segments WHERE camera_id = '{camera:D}'", CancellationToken.None);
            await connection.ExecuteAsync($"DELETE FROM deletion_queue WHERE storage_path LIKE '%{camera:D}%'", CancellationToken.None);

            // and a recording stored before segment keys carried the millisecond, never catalogued in the restored backup
            await server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, LegacyKey(legacyCamera, legacyStart),
                new MemoryStream(await RecordedFootage.SegmentAsync()), null, CancellationToken.None);
        }

        var dryRun = await RepairAsync(settings, "--dry-run");
        Assert.True(dryRun.Split('\n').Count(l => l.StartsWith("would-register", StringComparison.Ordinal)) == 5, dryRun);

        var output = await RepairAsync(settings);

        // the three originals in cctv-recordings (the second, still under its hold, moved to its held copy as it was registered)
        // and the recording under its old key, then that held copy, which is then already catalogued
        Assert.True(output.Split('\n').Count(l => l.StartsWith("registered", StringComparison.Ordinal)) == 4, output);
        Assert.True(output.Split('\n').Count(l => l.StartsWith("catalogued", StringComparison.Ordinal)) == 1, output);
        await using (var server = await FootageServer.StartAsync(database, postgres, settings))
        {
            // the hold is still recorded: the hold keeper moves the second segment back to its held copy
            var after = await MovedAsync(server, camera);
            Assert.Equal(before.Select(s => (s.StartTime, s.SizeBytes, s.Checksum, s.StorageBucket, s.StoragePath)),
                after.Select(s => (s.StartTime, s.SizeBytes, s.Checksum, s.StorageBucket, s.StoragePath)));
            for (var i = 0; i < before.Count; i++)
            {
                Assert.Equal(before[i].Keyframes!.Entries.Count, after[i].Keyframes!.Entries.Count);
                Assert.InRange((after[i].EndTime - before[i].EndTime).Duration().TotalSeconds, 0, 0.5);
                var content = await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{after[i].Id}/content")).Content.ReadAsByteArrayAsync();
                Assert.Equal(after[i].Checksum, Convert.ToHexStringLower(SHA256.HashData(content)));
            }

            var held = await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{after[1].Id}")).AssertJsonAsync(HttpStatusCode.OK);
            Assert.True(held.GetProperty("evidence_hold").GetBoolean());

            // the old-key recording is catalogued where it is stored, under the camera and second its key names
            var legacy = Assert.Single((await server.Get<SegmentRepository>().ListAsync(
                new SegmentQuery(legacyCamera, null, null, null, 10, IncludeKeyframes: true), CancellationToken.None)).Items);
            Assert.Equal((legacyStart, StorageBuckets.Recordings, LegacyKey(legacyCamera, legacyStart)), (legacy.StartTime, legacy.StorageBucket, legacy.StoragePath));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await RecordedFootage.SegmentAsync())), legacy.Checksum);
            Assert.NotEmpty(legacy.Keyframes!.Entries);
        }
    }

    private static string LegacyKey(Guid camera, DateTimeOffset start) =>
        string.Create(CultureInfo.InvariantCulture, $"{camera:D}/{start.UtcDateTime:yyyy'/'MM'/'dd'/'HH'-'mm'-'ss}.ts");

    /// <summary>The camera's segments once the hold keeper has moved the held one (the second) to its copy in cctv-clips.</summary>
    private static async Task<IReadOnlyList<Segment>> MovedAsync(FootageServer server, Guid camera)
    {
        for (var attempt = 0; ; attempt++)
        {
            var segments = (await server.Get<SegmentRepository>().ListAsync(new SegmentQuery(camera, null, null, null, 10, IncludeKeyframes: true), CancellationToken.None)).Items;
            if (segments.Count == 3 && segments[1].StorageBucket == StorageBuckets.Clips)
            {
                return segments;
            }

            Assert.True(attempt < 150, $"the held segment was not moved to cctv-clips within 30 s ({segments.Count} segments)");
            await Task.Delay(200);
        }
    }

    private static async Task<string> RepairAsync(Dictionary<string, string?> settings, params string[] extra)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["Footage:Auth:AdminApiKey"] = FootageServer.AdminKey,
            ["Footage:Storage:Scrub:OrphanGrace"] = "00:00:00",
            ["Footage:Recording:DemoCamera:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        string[] arguments = [FootageProcess.ServerDll, "repair", "register-orphans", .. extra, .. all.Where(kv => kv.Value is not null).Select(kv => $"--{kv.Key}={kv.Value}")];
        var result = await Cli.Wrap("dotnet").WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"repair exited {result.ExitCode}: {result.StandardOutput}\n{result.StandardError}");
        return result.StandardOutput;
    }
}

public sealed class SqliteRepairTests(PostgresServer postgres) : RepairTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresRepairTests(PostgresServer postgres) : RepairTests(DatabaseKind.Postgres, postgres);

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Footage.Evidence;
using Footage.Storage.Evidence;
using Footage.Storage.Tests.Exports;
using Footage.Storage.Tests.Retention;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Storage.Tests.Clips;

/// <summary>An incident clip outlives every step of retention, and the footage it was made from, on SQLite and PostgreSQL.</summary>
public abstract class ClipRetentionTests(DatabaseKind database, PostgresServer postgres) : RetentionTestBase(database, postgres)
{
    [Fact]
    public async Task A_clip_survives_retention_by_age_size_free_space_export_expiry_and_thumbnails_and_still_verifies()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var server = await StartAsync(new()
        {
            ["Footage:Storage:Retention:RecordingsDays"] = "1",
            ["Footage:Storage:Retention:ExportsDays"] = "1",
            ["Footage:Storage:Retention:ThumbnailsDays"] = "1",
            ["Footage:Storage:Retention:Backends:filesystem:MaxBytes"] = "1",
            ["Footage:Storage:Retention:Backends:filesystem:MinFreeBytes"] = (long.MaxValue / 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, s => s.AddSingleton<TimeProvider>(clock));
        var camera = Guid.NewGuid();
        var t0 = Now.AddHours(-1);
        var segments = await RecordedFootage.RecordAsync(server, camera, t0, count: 2);
        await InsertThumbnailAsync(server, camera, t0);
        var op = await server.ClientAsync("operator");
        var incident = await IncidentClips.CreateIncidentAsync(op, [camera], t0.AddSeconds(1), t0.AddSeconds(7));
        var id = (await IncidentClips.CreateClipAsync(op, incident, margin: 1)).GetProperty("id").GetGuid();
        var clip = await IncidentClips.WaitUntilFinishedAsync(op, id);
        Assert.True(clip.GetProperty("status").GetString() == "COMPLETED", clip.ToString());
        var export = await RecordedFootage.CreateExportAsync(op, new { camera_ids = new[] { camera }, start_time = t0, end_time = t0.AddSeconds(8) });
        Assert.Equal("COMPLETED", (await RecordedFootage.WaitUntilFinishedAsync(op, export)).GetProperty("status").GetString());
        var stored = await IncidentClips.StoredKeysAsync(server, incident);

        // while the incident is open its footage is held: the size limit and the free-space floor find nothing to take
        var held = await RunAsync(server);
        Assert.Equal(2, held.GetProperty("segments_kept_under_hold").GetInt32());

        // closed, and long past the hold after closing: every step of retention has something to delete
        await (await op.PatchAsJsonAsync($"api/v1/metadata/incidents/{incident}", new { status = "CLOSED" })).AssertJsonAsync(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromDays(400));
        var report = await RunAsync(server);
        Assert.Equal(2, report.GetProperty("segments_deleted_by_age").GetInt32());
        Assert.Equal(1, report.GetProperty("exports_expired").GetInt32());
        Assert.Equal(1, report.GetProperty("thumbnails_deleted").GetInt32());
        await AssertGoneAsync(server, segments.ToArray());
        await RunAsync(server);

        Assert.Equal(stored, await IncidentClips.StoredKeysAsync(server, incident));
        var after = await (await op.GetAsync($"api/v1/storage/clips/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("COMPLETED", after.GetProperty("status").GetString());
        var bytes = await op.GetByteArrayAsync($"api/v1/storage/clips/{id}/download");
        Assert.Equal(clip.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        using var folder = new TempFolder("footage-clip-retention");
        var zip = Path.Combine(folder.Path, "clip.zip");
        await File.WriteAllBytesAsync(zip, bytes);
        var verdict = await EvidenceVerifier.VerifyAsync(zip, server.Get<EvidenceSigner>().Key, CancellationToken.None);
        Assert.True(verdict.Valid, string.Join("; ", verdict.Problems));
        var video = await EvidenceZip.ExtractVideoAsync(bytes, camera, Path.Combine(folder.Path, "camera.mp4"));
        Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(video));
    }
}

public sealed class SqliteClipRetentionTests(PostgresServer postgres) : ClipRetentionTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresClipRetentionTests(PostgresServer postgres) : ClipRetentionTests(DatabaseKind.Postgres, postgres);

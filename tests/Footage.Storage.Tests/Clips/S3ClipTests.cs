using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Footage.Core.Storage;
using Footage.Evidence;
using Footage.Storage.Evidence;
using Footage.Storage.Tests.Backends;
using Footage.Storage.Tests.Exports;
using Footage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Storage.Tests.Clips;

/// <summary>
/// An incident clip on a real S3 server (Ceph's RADOS Gateway): kept in cctv-clips under its incident through every step of
/// retention that applies to S3 (age, the backend's size limit, export expiry), verified, deleted by an admin.
/// </summary>
public sealed class S3ClipTests(RadosGateway rgw) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = S3SegmentsApiTests.S3Settings(rgw);
        settings["Footage:Storage:Retention:RecordingsDays"] = "1";
        settings["Footage:Storage:Retention:ExportsDays"] = "1";
        settings["Footage:Storage:Retention:Backends:s3:MaxBytes"] = "1";
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: settings, services: s => s.AddSingleton<TimeProvider>(_clock));
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_clip_in_s3_is_kept_under_its_incident_through_retention_verifies_and_goes_only_when_an_admin_deletes_it()
    {
        var camera = Guid.NewGuid();
        var t0 = StoredSegments.Now().AddHours(-1);
        var segments = await RecordedFootage.RecordAsync(_server, camera, t0, count: 2);
        var op = await _server.ClientAsync("operator");
        var incident = await IncidentClips.CreateIncidentAsync(op, [camera], t0.AddSeconds(2), t0.AddSeconds(6));
        var id = (await IncidentClips.CreateClipAsync(op, incident, margin: 1)).GetProperty("id").GetGuid();
        var clip = await IncidentClips.WaitUntilFinishedAsync(op, id);
        Assert.True(clip.GetProperty("status").GetString() == "COMPLETED", clip.ToString());

        // in the store itself, as any S3 client lists it
        using var s3 = rgw.ClientFor(rgw.Identities.Storage);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = StorageBuckets.Clips, Prefix = $"incidents/{incident:D}/" });
        Assert.Equal([$"incidents/{incident:D}/{id:D}/clip-{id:D}.zip", $"incidents/{incident:D}/{id:D}/manifest.json"],
            (listed.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal));

        var export = await RecordedFootage.CreateExportAsync(op, new { camera_ids = new[] { camera }, start_time = t0, end_time = t0.AddSeconds(8) });
        Assert.Equal("COMPLETED", (await RecordedFootage.WaitUntilFinishedAsync(op, export)).GetProperty("status").GetString());

        // the incident closed and long past its hold: retention deletes its footage by age and the export, never the clip
        await (await op.PatchAsJsonAsync($"api/v1/metadata/incidents/{incident}", new { status = "CLOSED" })).AssertJsonAsync(HttpStatusCode.OK);
        _clock.Advance(TimeSpan.FromDays(400));
        var report = await (await _server.Admin.PostAsync("api/v1/storage/retention/run", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(segments.Count, report.GetProperty("segments_deleted_by_age").GetInt32());
        Assert.Equal(1, report.GetProperty("exports_expired").GetInt32());
        await (await _server.Admin.PostAsync("api/v1/storage/retention/run", null)).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync($"api/v1/storage/clips/{id}")).StatusCode);

        var kept = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = StorageBuckets.Clips, Prefix = $"incidents/{incident:D}/" });
        Assert.Equal((listed.S3Objects ?? []).Select(o => (o.Key, o.ETag)), (kept.S3Objects ?? []).Select(o => (o.Key, o.ETag)));
        var bytes = await op.GetByteArrayAsync($"api/v1/storage/clips/{id}/download");
        Assert.Equal(clip.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        using var folder = new TempFolder("footage-s3-clip");
        var zip = Path.Combine(folder.Path, "clip.zip");
        await File.WriteAllBytesAsync(zip, bytes);
        var verdict = await EvidenceVerifier.VerifyAsync(zip, _server.Get<EvidenceSigner>().Key, CancellationToken.None);
        Assert.True(verdict.Valid, string.Join("; ", verdict.Problems));

        var deleted = await _server.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/storage/clips/{id}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { reason = "court order 17" }),
        });
        await deleted.AssertJsonAsync(HttpStatusCode.OK);
        listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = StorageBuckets.Clips, Prefix = $"incidents/{incident:D}/" });
        Assert.Empty(listed.S3Objects ?? []);
    }
}

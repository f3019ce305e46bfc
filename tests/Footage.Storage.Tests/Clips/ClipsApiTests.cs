using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Evidence;
using Footage.Storage.Evidence;
using Footage.Storage.Tests.Evidence;
using Footage.Storage.Tests.Exports;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Clips;

/// <summary>Incident clips end to end on real footage: made, kept in cctv-clips, verified, downloaded, deleted with a reason; on SQLite and PostgreSQL.</summary>
public abstract class ClipsApiTests(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    private readonly TempFolder _downloads = new("footage-clip-downloads");
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(database, postgres);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _downloads.Dispose();
    }

    [Fact]
    public async Task A_clip_keeps_every_camera_of_the_incident_with_the_margin_in_a_signed_package_and_its_chain_of_custody()
    {
        var recorded = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var silent = Guid.NewGuid();
        var t0 = Backends.StoredSegments.Now().AddHours(-1);
        var segments = new Dictionary<Guid, IReadOnlyList<JsonElement>>();
        foreach (var camera in recorded)
        {
            segments[camera] = await RecordedFootage.RecordAsync(_server, camera, t0, count: 3);
        }

        var op = await _server.ClientAsync("operator");
        var incident = await IncidentClips.CreateIncidentAsync(op, [recorded[0], silent, recorded[1]], t0.AddSeconds(4), t0.AddSeconds(8));
        var created = await IncidentClips.CreateClipAsync(op, incident, margin: 2);
        Assert.Equal("PENDING", created.GetProperty("status").GetString());
        Assert.Equal(recorded, created.GetProperty("camera_ids").EnumerateArray().Select(c => c.GetGuid()));
        Assert.Equal(IncidentClips.Iso(t0.AddSeconds(2)), IncidentClips.Iso(created.GetProperty("start_time").GetDateTimeOffset()));
        Assert.Equal(IncidentClips.Iso(t0.AddSeconds(10)), IncidentClips.Iso(created.GetProperty("end_time").GetDateTimeOffset()));
        var id = created.GetProperty("id").GetGuid();

        var clip = await IncidentClips.WaitUntilFinishedAsync(op, id);
        Assert.True(clip.GetProperty("status").GetString() == "COMPLETED", clip.ToString());
        Assert.Equal([$"incidents/{incident:D}/{id:D}/clip-{id:D}.zip", $"incidents/{incident:D}/{id:D}/manifest.json"],
            await IncidentClips.StoredKeysAsync(_server, incident));

        // listed from the incident, downloadable through the signed link without a key
        var listed = await op.GetFromJsonAsync<JsonElement>($"api/v1/storage/clips?incident_id={incident}");
        var item = Assert.Single(listed.EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        var download = await _server.CreateClient().GetAsync(item.GetProperty("download_url").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(clip.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        // it verifies against the key the system publishes to anyone
        var published = await (await _server.CreateClient().GetAsync("api/v1/storage/evidence/public-key")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(clip.GetProperty("signing_key_sha256").GetString(), published.GetProperty("fingerprint").GetString());
        var zip = Path.Combine(_downloads.Path, "clip.zip");
        await File.WriteAllBytesAsync(zip, bytes);
        using (var trusted = EvidenceKey.FromPem(published.GetProperty("public_key_pem").GetString()!))
        {
            var report = await EvidenceVerifier.VerifyAsync(zip, trusted, CancellationToken.None);
            Assert.True(report.Valid, string.Join("; ", report.Problems));
            Assert.Equal(("clip", id.ToString("D")), (report.Kind, report.Id));
        }

        // the manifest says what it is, where it came from, who asked and why
        var manifest = await EvidenceZip.ManifestAsync(bytes);
        Assert.Equal(incident, manifest.GetProperty("incident_id").GetGuid());
        Assert.Equal("Bicycle theft at the north gate", manifest.GetProperty("incident_title").GetString());
        Assert.Equal(2, manifest.GetProperty("margin_seconds").GetInt32());
        Assert.Equal("requested by the police, case 2026/118", manifest.GetProperty("reason").GetString());
        Assert.StartsWith("operator-", manifest.GetProperty("created_by").GetString());
        Assert.Equal([silent], manifest.GetProperty("cameras_without_footage").EnumerateArray().Select(c => c.GetGuid()));
        Assert.Equal(clip.GetProperty("manifest_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(await ReadEntryBytesAsync(bytes, "manifest.json"))));
        foreach (var camera in recorded)
        {
            var entry = manifest.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("camera_id").GetGuid() == camera);
            Assert.Equal(segments[camera].Select(s => s.GetProperty("checksum").GetString()), entry.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("sha256").GetString()));
            var video = await EvidenceZip.ExtractVideoAsync(bytes, camera, Path.Combine(_downloads.Path, $"{camera:D}.mp4"));
            Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(video));
            var duration = await TestMedia.ProbeDurationAsync(video);
            Assert.True(Math.Abs(duration - 8) <= 1, $"camera {camera}: the incident's 4 s and 2 s either side play for {duration} s");
        }

        // every step is in the incident's chain of custody, which still verifies
        var custody = await IncidentClips.CustodyAsync(op, incident);
        Assert.Equal(["CREATED", "CLIP_CREATED", "CLIP_COMPLETED", "CLIP_DOWNLOADED"], custody.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("requested by the police, case 2026/118", custody[1].GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal("2", custody[1].GetProperty("details").GetProperty("margin_seconds").GetString());
        Assert.Equal($"clip {id:D}", custody[1].GetProperty("details").GetProperty("subject").GetString());
        Assert.Equal(clip.GetProperty("checksum").GetString(), custody[2].GetProperty("details").GetProperty("hashes").GetProperty("clip").GetString());
        Assert.EndsWith(" via signed link", custody[3].GetProperty("actor").GetString());
        Assert.StartsWith("operator-", custody[3].GetProperty("actor").GetString());
        Assert.True((await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents/{incident}/custody/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task The_verify_endpoint_accepts_the_package_and_names_a_changed_byte()
    {
        var camera = Guid.NewGuid();
        var t0 = Backends.StoredSegments.Now().AddHours(-1);
        await RecordedFootage.RecordAsync(_server, camera, t0, count: 2);
        var op = await _server.ClientAsync("operator");
        var incident = await IncidentClips.CreateIncidentAsync(op, [camera], t0.AddSeconds(1), t0.AddSeconds(7));
        var id = (await IncidentClips.CreateClipAsync(op, incident, margin: 0)).GetProperty("id").GetGuid();
        Assert.Equal("COMPLETED", (await IncidentClips.WaitUntilFinishedAsync(op, id)).GetProperty("status").GetString());
        var zip = Path.Combine(_downloads.Path, "verify.zip");
        await File.WriteAllBytesAsync(zip, await op.GetByteArrayAsync($"api/v1/storage/clips/{id}/download"));
        var viewer = await _server.ClientAsync("viewer");

        var good = await VerifyAsync(viewer, zip);
        Assert.True(good.GetProperty("valid").GetBoolean(), good.ToString());
        Assert.True(good.GetProperty("signed_by_this_system").GetBoolean());
        Assert.Equal("clip", good.GetProperty("kind").GetString());
        Assert.Equal(0, good.GetProperty("problems").GetArrayLength());

        await EvidencePackage.FlipInPlaceAsync(zip, $"{camera:D}.mp4", offsetInEntry: 20_000);
        var changed = await VerifyAsync(viewer, zip);
        Assert.False(changed.GetProperty("valid").GetBoolean());
        var problems = changed.GetProperty("problems").EnumerateArray().ToArray();
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal($"{camera:D}.mp4", p.GetProperty("file").GetString()));
        Assert.Contains(problems, p => p.GetProperty("problem").GetString()!.Contains("manifest.json says", StringComparison.Ordinal));

        var notZip = await viewer.PostAsync("api/v1/storage/evidence/verify", new ByteArrayContent("hello"u8.ToArray()));
        Assert.Contains("body", (await notZip.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        await (await _server.CreateClient().PostAsync("api/v1/storage/evidence/verify", new ByteArrayContent(await File.ReadAllBytesAsync(zip))))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admin_deletes_a_clip_with_a_reason_that_goes_into_the_chain_of_custody()
    {
        var camera = Guid.NewGuid();
        var t0 = Backends.StoredSegments.Now().AddHours(-1);
        await RecordedFootage.RecordAsync(_server, camera, t0, count: 1);
        var op = await _server.ClientAsync("operator");
        var incident = await IncidentClips.CreateIncidentAsync(op, [camera], t0, t0.AddSeconds(4));
        var id = (await IncidentClips.CreateClipAsync(op, incident, margin: 0)).GetProperty("id").GetGuid();
        var clip = await IncidentClips.WaitUntilFinishedAsync(op, id);
        Assert.Equal("COMPLETED", clip.GetProperty("status").GetString());
        var link = clip.GetProperty("download_url").GetString()!;

        await (await DeleteAsync(op, id, "no longer needed")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("reason", (await (await DeleteAsync(_server.Admin, id, " ")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(2, (await IncidentClips.StoredKeysAsync(_server, incident)).Length);

        var deleted = await (await DeleteAsync(_server.Admin, id, "court case closed; retention order 17")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("DELETED", deleted.GetProperty("status").GetString());
        Assert.Equal("court case closed; retention order 17", deleted.GetProperty("delete_reason").GetString());
        Assert.Equal(JsonValueKind.Null, deleted.GetProperty("download_url").ValueKind);
        Assert.Empty(await IncidentClips.StoredKeysAsync(_server, incident));

        var gone = await (await _server.CreateClient().GetAsync(link)).AssertProblemAsync(HttpStatusCode.Gone);
        Assert.Contains("court case closed; retention order 17", gone.GetProperty("detail").GetString());
        await (await DeleteAsync(_server.Admin, id, "again")).AssertProblemAsync(HttpStatusCode.Gone);
        var listed = Assert.Single((await op.GetFromJsonAsync<JsonElement>($"api/v1/storage/clips?incident_id={incident}")).EnumerateArray());
        Assert.Equal("DELETED", listed.GetProperty("status").GetString());

        var custody = await IncidentClips.CustodyAsync(op, incident);
        var entry = custody.Last();
        Assert.Equal("CLIP_DELETED", entry.GetProperty("action").GetString());
        Assert.Equal("admin", entry.GetProperty("actor").GetString());
        Assert.Equal("court case closed; retention order 17", entry.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(clip.GetProperty("checksum").GetString(), entry.GetProperty("details").GetProperty("hashes").GetProperty("clip").GetString());
        Assert.True((await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents/{incident}/custody/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_refused_clip_says_why_and_names_the_field()
    {
        var camera = Guid.NewGuid();
        var t0 = Backends.StoredSegments.Now().AddHours(-1);
        await RecordedFootage.RecordAsync(_server, camera, t0, count: 1);
        var op = await _server.ClientAsync("operator");
        var incident = await IncidentClips.CreateIncidentAsync(op, [camera], t0, t0.AddSeconds(4));
        var long_ = await IncidentClips.CreateIncidentAsync(op, [camera], t0.AddHours(-23), t0.AddSeconds(4));
        var empty = await IncidentClips.CreateIncidentAsync(op, [Guid.NewGuid()], t0, t0.AddSeconds(4));

        async Task<JsonElement> Refused(object body, HttpStatusCode status) =>
            await (await op.PostAsJsonAsync("api/v1/storage/clips", body)).AssertProblemAsync(status);

        Assert.Contains("incident_id", (await Refused(new { margin_seconds = 0, reason = "r" }, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("margin_seconds", (await Refused(new { incident_id = incident, margin_seconds = -1, reason = "r" }, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("margin_seconds", (await Refused(new { incident_id = incident, margin_seconds = 3601, reason = "r" }, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("reason", (await Refused(new { incident_id = incident, margin_seconds = 0 }, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("reason", (await Refused(new { incident_id = incident, reason = new string('x', 2001) }, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("margin_seconds", (await Refused(new { incident_id = long_, margin_seconds = 3600, reason = "r" }, HttpStatusCode.BadRequest)).ErrorFields());
        await Refused(new { incident_id = Guid.NewGuid(), reason = "r" }, HttpStatusCode.NotFound);
        Assert.Contains("recorded anything", (await Refused(new { incident_id = empty, reason = "r" }, HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());
        await (await (await _server.ClientAsync("viewer")).PostAsJsonAsync("api/v1/storage/clips", new { incident_id = incident, reason = "r" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("incident_id", (await (await op.GetAsync("api/v1/storage/clips")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Empty((await op.GetFromJsonAsync<JsonElement>($"api/v1/storage/clips?incident_id={incident}")).EnumerateArray());
    }

    private static Task<HttpResponseMessage> DeleteAsync(HttpClient client, Guid clip, string reason) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/storage/clips/{clip}") { Content = JsonContent.Create(new { reason }) });

    private static async Task<JsonElement> VerifyAsync(HttpClient client, string zip)
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(zip));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return await (await client.PostAsync("api/v1/storage/evidence/verify", content)).AssertJsonAsync(HttpStatusCode.OK);
    }

    private static async Task<byte[]> ReadEntryBytesAsync(byte[] zip, string name)
    {
        using var folder = new TempFolder("footage-entry");
        return await File.ReadAllBytesAsync(await EvidenceZip.ExtractAsync(zip, name, Path.Combine(folder.Path, name)));
    }
}

public sealed class SqliteClipsApiTests(PostgresServer postgres) : ClipsApiTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresClipsApiTests(PostgresServer postgres) : ClipsApiTests(DatabaseKind.Postgres, postgres);

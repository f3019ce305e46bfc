using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Evidence;
using Footage.ServiceDefaults.Auth;
using Footage.Storage.Evidence;
using Footage.Storage.Exports;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Exports;

/// <summary>
/// Exports of real footage end to end, the same tests on SQLite and on PostgreSQL. Each test exports cameras of its own and
/// reads back only its own exports: the tests of a class share one server (a test that needs other settings starts its own).
/// </summary>
public abstract class ExportsApiTests(DatabaseKind database, SharedFootageServer shared, PostgresServer postgres) : IDisposable
{
    private readonly TempFolder _downloads = new("footage-export-downloads");
    private readonly FootageServer _server = shared.Server;

    public void Dispose()
    {
        _downloads.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An hour ago on a whole second, so footage is recent but never in the future.</summary>
    private static DateTimeOffset Recorded() => Backends.StoredSegments.Now().AddHours(-1);

    [Fact]
    public async Task A_range_across_a_segment_boundary_becomes_one_playable_mp4_in_a_signed_package_behind_a_signed_link()
    {
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        var segments = await RecordedFootage.RecordAsync(_server, camera, t0);
        var operatorClient = await _server.ClientAsync("operator");

        var created = await (await operatorClient.PostAsJsonAsync("api/v1/storage/exports", new
        {
            camera_ids = new[] { camera }, start_time = t0.AddSeconds(2), end_time = t0.AddSeconds(7), reason = "incident 42", created_by = "mallory",
        })).AssertJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("PENDING", created.GetProperty("status").GetString());
        Assert.StartsWith("operator-", created.GetProperty("created_by").GetString());
        var id = created.GetProperty("id").GetGuid();

        var export = await RecordedFootage.WaitUntilFinishedAsync(operatorClient, id);
        Assert.True(export.GetProperty("status").GetString() == "COMPLETED", export.ToString());
        Assert.StartsWith("operator-", export.GetProperty("created_by").GetString());
        Assert.Equal("incident 42", export.GetProperty("reason").GetString());

        // the signed link works without any API key
        var link = export.GetProperty("download_url").GetString()!;
        var download = await _server.CreateClient().GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(export.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(bytes.Length, export.GetProperty("file_size").GetInt64());
        var zipPath = Path.Combine(_downloads.Path, "export.zip");
        await File.WriteAllBytesAsync(zipPath, bytes);
        var report = await EvidenceVerifier.VerifyAsync(zipPath, _server.Get<EvidenceSigner>().Key, CancellationToken.None);
        Assert.True(report.Valid, string.Join("; ", report.Problems));
        Assert.Equal(("export", id.ToString("D")), (report.Kind, report.Id));

        var file = await EvidenceZip.ExtractVideoAsync(bytes, camera, Path.Combine(_downloads.Path, "export.mp4"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        var duration = await TestMedia.ProbeDurationAsync(file);
        Assert.True(Math.Abs(duration - 5) <= 1, $"the export of 5 s plays for {duration} s");
        Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(file));
        await AssertStartsAtFromAndLastsAsync(file, seconds: 5);

        var manifest = await ReadManifestAsync(id);
        var cameraEntry = Assert.Single(manifest.GetProperty("cameras").EnumerateArray());
        Assert.Equal(camera, cameraEntry.GetProperty("camera_id").GetGuid());
        var sources = cameraEntry.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal([segments[0].GetProperty("id").GetGuid(), segments[1].GetProperty("id").GetGuid()], sources.Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal([segments[0].GetProperty("checksum").GetString(), segments[1].GetProperty("checksum").GetString()], sources.Select(s => s.GetProperty("sha256").GetString()));
        Assert.Equal(sha256, cameraEntry.GetProperty("sha256").GetString());
        Assert.Equal(manifest.ToString(), (await EvidenceZip.ManifestAsync(bytes)).ToString());
        Assert.Equal(_server.Get<EvidenceSigner>().Key.Fingerprint, manifest.GetProperty("signing_key_sha256").GetString());
        Assert.Equal(id, manifest.GetProperty("export_id").GetGuid());
        Assert.StartsWith("operator-", manifest.GetProperty("created_by").GetString());
    }

    [Fact]
    public async Task An_export_of_indexed_footage_starts_at_its_first_instant_not_at_the_key_frame_before_it()
    {
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        await RecordedFootage.RecordAsync(_server, camera, t0, keyframes: true);
        var operatorClient = await _server.ClientAsync("operator");

        // 2.5 s into the first 4 s file (key frames every second) to 2.5 s into the third: 8 s of footage
        var id = await RecordedFootage.CreateExportAsync(operatorClient, new
        {
            camera_ids = new[] { camera }, start_time = t0.AddSeconds(2.5), end_time = t0.AddSeconds(10.5), reason = "frame accuracy",
        });
        var export = await RecordedFootage.WaitUntilFinishedAsync(operatorClient, id);
        Assert.True(export.GetProperty("status").GetString() == "COMPLETED", export.ToString());
        var file = await EvidenceZip.ExtractVideoAsync(await _server.CreateClient().GetByteArrayAsync(export.GetProperty("download_url").GetString()),
            camera, Path.Combine(_downloads.Path, "indexed.mp4"));

        Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(file));
        var mp4 = await DownloadedMp4.ReadAsync(file);
        // cut at the key frame 0.5 s before the start: the edit list hides those 0.5 s (12 or 13 frames at 25 a second)
        Assert.Equal(0.5, mp4.EditListStart, 0.021);
        await AssertStartsAtFromAndLastsAsync(file, seconds: 8);
    }

    /// <summary>The frames a player shows start at the export's first instant (time 0) and last the exported range, within a frame.</summary>
    private static async Task AssertStartsAtFromAndLastsAsync(string file, double seconds)
    {
        var shown = (await DownloadedMp4.ReadAsync(file)).Shown;
        Assert.InRange(shown[0], 0, 0.04);
        Assert.Equal(seconds, shown.Length * 0.04, 0.041);
    }

    [Fact]
    public async Task Two_cameras_export_as_a_zip_with_one_playable_mp4_each_and_the_manifest()
    {
        var cameras = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var t0 = Recorded();
        foreach (var camera in cameras)
        {
            await RecordedFootage.RecordAsync(_server, camera, t0);
        }

        var id = await RecordedFootage.CreateExportAsync(_server.Admin, new { camera_ids = cameras, start_time = t0.AddSeconds(3), end_time = t0.AddSeconds(9) });
        var export = await RecordedFootage.WaitUntilFinishedAsync(_server.Admin, id);
        Assert.True(export.GetProperty("status").GetString() == "COMPLETED", export.ToString());

        var download = await _server.CreateClient().GetAsync(export.GetProperty("download_url").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(export.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        await using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(
            cameras.Select(c => $"{c:D}.mp4").Concat(EvidenceFiles.Fixed).Order(StringComparer.Ordinal),
            zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        JsonElement inner;
        await using (var manifestStream = await zip.GetEntry("manifest.json")!.OpenAsync())
        {
            inner = (await JsonDocument.ParseAsync(manifestStream)).RootElement.Clone();
        }

        foreach (var camera in cameras)
        {
            var path = Path.Combine(_downloads.Path, $"{camera:D}.mp4");
            await zip.GetEntry($"{camera:D}.mp4")!.ExtractToFileAsync(path);
            var duration = await TestMedia.ProbeDurationAsync(path);
            Assert.True(Math.Abs(duration - 6) <= 1, $"camera {camera} plays for {duration} s of 6 s");
            Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(path));
            var entry = inner.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("camera_id").GetGuid() == camera);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))), entry.GetProperty("sha256").GetString());
            Assert.Equal(3, entry.GetProperty("segments").GetArrayLength());
        }

        Assert.Equal((await ReadManifestAsync(id)).ToString(), inner.ToString());
    }

    public static TheoryData<string, string> InvalidExports => new()
    {
        { """{"start_time":"START","end_time":"END"}""", "camera_ids" },
        { """{"camera_ids":[],"start_time":"START","end_time":"END"}""", "camera_ids" },
        { """{"camera_ids":["CAMERA","CAMERA"],"start_time":"START","end_time":"END"}""", "camera_ids" },
        { """{"camera_ids":["00000000-0000-0000-0000-000000000000"],"start_time":"START","end_time":"END"}""", "camera_ids" },
        { """{"camera_ids":[MANY],"start_time":"START","end_time":"END"}""", "camera_ids" },
        { """{"camera_ids":["CAMERA"],"end_time":"END"}""", "start_time" },
        { """{"camera_ids":["CAMERA"],"start_time":"START"}""", "end_time" },
        { """{"camera_ids":["CAMERA"],"start_time":"END","end_time":"START"}""", "end_time" },
        { """{"camera_ids":["CAMERA"],"start_time":"START","end_time":"START"}""", "end_time" },
        { """{"camera_ids":["CAMERA"],"start_time":"START","end_time":"2099-01-01T00:00:00Z"}""", "end_time" },
        { """{"camera_ids":["CAMERA"],"start_time":"START","end_time":"END","format":"avi"}""", "format" },
        { """{"camera_ids":["CAMERA"],"start_time":"START","end_time":"END","reason":"LONG"}""", "reason" },
    };

    [Theory]
    [MemberData(nameof(InvalidExports))]
    public async Task Every_invalid_field_is_a_400_naming_it(string json, string field)
    {
        var t0 = Recorded();
        json = json.Replace("CAMERA", Guid.NewGuid().ToString())
            .Replace("MANY", string.Join(",", Enumerable.Range(0, 17).Select(_ => $"\"{Guid.NewGuid()}\"")))
            .Replace("START", Iso(t0)).Replace("END", Iso(t0.AddSeconds(5)))
            .Replace("LONG", new string('x', 2001));
        var response = await _server.Admin.PostAsync("api/v1/storage/exports", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
    }

    [Theory]
    [InlineData("""{"camera_ids":["not-a-uuid"]}""", "camera_ids")]
    [InlineData("""{"camera_ids":"CAMERA"}""", "camera_ids")]
    [InlineData("""{"start_time":"2026-11-20T10:00:00"}""", "start_time")]
    [InlineData("""{"end_time":"yesterday"}""", "end_time")]
    [InlineData("""{"reason":42}""", "reason")]
    public async Task A_value_of_the_wrong_type_is_a_400_naming_the_field(string json, string field)
    {
        json = json.Replace("CAMERA", Guid.NewGuid().ToString());
        var response = await _server.Admin.PostAsync("api/v1/storage/exports", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_range_without_footage_is_422_and_queues_nothing()
    {
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        await RecordedFootage.RecordAsync(_server, camera, t0, count: 1);
        var silent = Guid.NewGuid();

        var problem = await (await _server.Admin.PostAsJsonAsync("api/v1/storage/exports", new
        {
            camera_ids = new[] { camera, silent }, start_time = t0, end_time = t0.AddSeconds(4),
        })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(silent.ToString(), problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(camera.ToString(), problem.GetProperty("detail").GetString());

        await (await _server.Admin.PostAsJsonAsync("api/v1/storage/exports", new
        {
            camera_ids = new[] { camera }, start_time = t0.AddSeconds(10), end_time = t0.AddSeconds(20),
        })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var list = await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/storage/exports");
        Assert.DoesNotContain(list.EnumerateArray(), e => e.GetProperty("camera_ids").EnumerateArray().Any(c => c.GetGuid() == camera || c.GetGuid() == silent));
    }

    [Fact]
    public async Task Footage_altered_after_registration_fails_the_export_with_a_checksum_error()
    {
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        var segments = await RecordedFootage.RecordAsync(_server, camera, t0, count: 2);
        // the product never overwrites footage: the bytes change on the disk behind its back
        var tampered = segments[1].GetProperty("storage_path").GetString()!;
        await File.WriteAllBytesAsync(Path.Combine(_server.DataDirectory, "storage", StorageBuckets.Recordings, tampered), await RecordedFootage.OtherSegmentAsync());

        var id = await RecordedFootage.CreateExportAsync(_server.Admin, new { camera_ids = new[] { camera }, start_time = t0, end_time = t0.AddSeconds(8) });
        var export = await RecordedFootage.WaitUntilFinishedAsync(_server.Admin, id);

        Assert.Equal("FAILED", export.GetProperty("status").GetString());
        var error = export.GetProperty("error").GetString()!;
        Assert.Contains("checksum", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(segments[1].GetProperty("id").GetString()!, error);
        Assert.Equal(JsonValueKind.Null, export.GetProperty("download_url").ValueKind);
        var problem = await (await _server.Admin.GetAsync($"api/v1/storage/exports/{id}/download")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("checksum", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Downloading_before_the_export_is_completed_is_409()
    {
        await using var idle = await FootageServer.StartAsync(database, postgres, new Dictionary<string, string?> { ["Footage:Storage:Exports:WorkerEnabled"] = "false" });
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        await RecordedFootage.RecordAsync(idle, camera, t0, count: 1);
        var id = await RecordedFootage.CreateExportAsync(idle.Admin, new { camera_ids = new[] { camera }, start_time = t0, end_time = t0.AddSeconds(4) });

        var export = await (await idle.Admin.GetAsync($"api/v1/storage/exports/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal("PENDING", export.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, export.GetProperty("download_url").ValueKind);
        await (await idle.Admin.GetAsync($"api/v1/storage/exports/{id}/download")).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await idle.Admin.GetAsync($"api/v1/storage/exports/{Guid.NewGuid()}/download")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await idle.Admin.GetAsync("api/v1/storage/exports/not-a-uuid/download")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_signed_link_serves_ranges_and_a_tampered_or_expired_link_is_401()
    {
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        await RecordedFootage.RecordAsync(_server, camera, t0, count: 1);
        var id = await RecordedFootage.CreateExportAsync(_server.Admin, new { camera_ids = new[] { camera }, start_time = t0, end_time = t0.AddSeconds(4) });
        var export = await RecordedFootage.WaitUntilFinishedAsync(_server.Admin, id);
        var link = export.GetProperty("download_url").GetString()!;
        var size = export.GetProperty("file_size").GetInt64();
        var anonymous = _server.CreateClient();
        var whole = await (await anonymous.GetAsync(link)).Content.ReadAsByteArrayAsync();

        using var ranged = new HttpRequestMessage(HttpMethod.Get, link);
        ranged.Headers.Range = new RangeHeaderValue(100, 1099);
        var partial = await anonymous.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 100-1099/{size}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(whole[100..1100], await partial.Content.ReadAsByteArrayAsync());

        var signature = link[(link.LastIndexOf("&sig=", StringComparison.Ordinal) + 5)..];
        var flipped = link[..^1] + (link[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(flipped)).StatusCode);

        var expires = long.Parse(System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://x"), link).Query)["expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        var stretched = link.Replace($"expires={expires}", $"expires={expires + 86_400}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(stretched)).StatusCode);

        var otherExport = link.Replace(id.ToString(), Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(otherExport)).StatusCode);

        var (expired, _) = _server.Get<LinkSigner>().Sign($"/api/v1/storage/exports/{id:D}/download", TimeSpan.FromMinutes(-1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(expired)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/v1/storage/exports/{id}/download")).StatusCode);
        Assert.NotEmpty(signature);

        // a signed link admits to its own URL only, not to the rest of the API
        var signedOther = _server.Get<LinkSigner>().Sign($"/api/v1/storage/exports/{id:D}", TimeSpan.FromMinutes(5)).Url;
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(signedOther)).StatusCode);
    }

    [Fact]
    public async Task Viewers_follow_and_download_exports_but_only_operators_create_them()
    {
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        await RecordedFootage.RecordAsync(_server, camera, t0, count: 1);
        var body = new { camera_ids = new[] { camera }, start_time = t0, end_time = t0.AddSeconds(4) };
        var viewer = await _server.ClientAsync("viewer");

        await (await viewer.PostAsJsonAsync("api/v1/storage/exports", body)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _server.CreateClient().PostAsJsonAsync("api/v1/storage/exports", body)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var id = await RecordedFootage.CreateExportAsync(await _server.ClientAsync("operator"), body);

        var export = await RecordedFootage.WaitUntilFinishedAsync(viewer, id);
        Assert.Equal("COMPLETED", export.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"api/v1/storage/exports/{id}/download")).StatusCode);
        var listed = await viewer.GetFromJsonAsync<JsonElement>("api/v1/storage/exports");
        Assert.Contains(listed.EnumerateArray(), e => e.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Missing_footage_inside_the_range_is_listed_as_a_gap_in_the_manifest()
    {
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        var segments = await RecordedFootage.RecordAsync(_server, camera, t0, count: 3);
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Admin.DeleteAsync($"api/v1/storage/segments/{segments[1].GetProperty("id").GetGuid()}")).StatusCode);

        var id = await RecordedFootage.CreateExportAsync(_server.Admin, new { camera_ids = new[] { camera }, start_time = t0.AddSeconds(1), end_time = t0.AddSeconds(14) });
        var export = await RecordedFootage.WaitUntilFinishedAsync(_server.Admin, id);
        Assert.True(export.GetProperty("status").GetString() == "COMPLETED", export.ToString());

        var entry = (await ReadManifestAsync(id)).GetProperty("cameras")[0];
        Assert.Equal(
            [segments[0].GetProperty("id").GetGuid(), segments[2].GetProperty("id").GetGuid()],
            entry.GetProperty("segments").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
        var gaps = entry.GetProperty("gaps").EnumerateArray().Select(g => (g.GetProperty("from").GetString(), g.GetProperty("to").GetString())).ToArray();
        Assert.Equal([(Iso(t0.AddSeconds(4)), Iso(t0.AddSeconds(8))), (Iso(t0.AddSeconds(12)), Iso(t0.AddSeconds(14)))], gaps);

        var file = await EvidenceZip.ExtractVideoAsync(await _server.CreateClient().GetByteArrayAsync(export.GetProperty("download_url").GetString()),
            camera, Path.Combine(_downloads.Path, "gap.mp4"));
        var duration = await TestMedia.ProbeDurationAsync(file);
        Assert.True(Math.Abs(duration - 7) <= 1, $"3 s of the first segment and 4 s of the last play for {duration} s");
        Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(file));
    }

    [Fact]
    public async Task A_segment_whose_object_vanished_fails_the_export_and_says_which()
    {
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        var segments = await RecordedFootage.RecordAsync(_server, camera, t0, count: 2);
        await _server.Get<IStorageBackendRegistry>().Default.DeleteAsync(
            StorageBuckets.Recordings, segments[0].GetProperty("storage_path").GetString()!, CancellationToken.None);

        var id = await RecordedFootage.CreateExportAsync(_server.Admin, new { camera_ids = new[] { camera }, start_time = t0, end_time = t0.AddSeconds(8) });
        var export = await RecordedFootage.WaitUntilFinishedAsync(_server.Admin, id);

        Assert.Equal("FAILED", export.GetProperty("status").GetString());
        Assert.Contains(segments[0].GetProperty("id").GetString()!, export.GetProperty("error").GetString());
        Assert.Contains("missing", export.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_live_worker_keeps_its_long_export_so_no_other_worker_takes_it_over()
    {
        // an ffmpeg that takes a while to start stitching, as a long range does
        using var tools = new TempFolder("footage-slow-ffmpeg");
        var started = Path.Combine(tools.Path, "started");
        var script = Path.Combine(tools.Path, "ffmpeg");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\ntouch '{started}'\nsleep 6\nexec ffmpeg \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await using var slow = await FootageServer.StartAsync(database, postgres, new Dictionary<string, string?>
        {
            ["Footage:Ffmpeg:FfmpegPath"] = script,
            ["Footage:Storage:Exports:StaleAfter"] = "00:00:03",
        });
        var camera = Guid.NewGuid();
        var t0 = Recorded();
        await RecordedFootage.RecordAsync(slow, camera, t0, count: 1);
        var id = await RecordedFootage.CreateExportAsync(slow.Admin, new { camera_ids = new[] { camera }, start_time = t0, end_time = t0.AddSeconds(4) });

        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (!File.Exists(started))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the export never reached stitching");
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(4)); // longer than StaleAfter, while ffmpeg still runs
        Assert.Equal(0, await slow.Get<ExportRepository>().RequeueStaleAsync(TimeSpan.FromSeconds(3), CancellationToken.None));

        var export = await RecordedFootage.WaitUntilFinishedAsync(slow.Admin, id);
        Assert.True(export.GetProperty("status").GetString() == "COMPLETED", export.ToString());
    }

    private async Task<JsonElement> ReadManifestAsync(Guid exportId)
    {
        await using var read = await _server.Get<IStorageBackendRegistry>().Default.OpenReadAsync(
            StorageBuckets.Exports, $"{exportId:D}/manifest.json", null, CancellationToken.None);
        Assert.NotNull(read);
        return (await JsonDocument.ParseAsync(read.Content)).RootElement.Clone();
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class SqliteExportsApiTests(SharedSqliteServer server, PostgresServer postgres)
    : ExportsApiTests(DatabaseKind.Sqlite, server, postgres), IClassFixture<SharedSqliteServer>;

public sealed class PostgresExportsApiTests(SharedPostgresServer server, PostgresServer postgres)
    : ExportsApiTests(DatabaseKind.Postgres, server, postgres), IClassFixture<SharedPostgresServer>;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Testing;
using Xunit;

namespace Footage.EndToEnd;

/// <summary>
/// The whole path on real parts: a GStreamer RTSP camera recorded by the real host (ffmpeg, 5 s segments,
/// spool, backend, PostgreSQL catalog), an outage of the camera that leaves a real gap, a tag and an
/// incident found by full-text search, then the HLS playlist and the MP4 download of a range that spans
/// the gap, checked as a player would see them.
/// </summary>
public abstract class RecordAndPlayBackTests(PostgresServer postgres, RadosGateway? s3) : IAsyncLifetime
{
    private const double Frame = 0.040; // the simulator films 25 frames a second
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder _scratch = new("footage-e2e");
    private CameraSimulator _camera = null!;
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _camera = await CameraSimulator.StartAsync();
        var settings = FastRecordingSettings.Create(segmentSeconds: 5);
        if (s3 is not null)
        {
            foreach (var (key, value) in s3.S3Settings(s3.Identities.Storage))
            {
                settings[key] = value;
            }

            settings["Footage:Storage:DefaultBackend"] = "s3";
        }

        _server = await FootageServer.StartAsync(DatabaseKind.Postgres, postgres, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _camera.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_recorded_range_across_a_camera_outage_plays_as_stored_from_the_requested_instant_and_downloads_at_its_length()
    {
        var admin = _server.Admin;

        // record ~15 s, lose the camera long enough for a real gap, record ~10 s more
        var created = await (await admin.PostAsJsonAsync("api/v1/cameras", new { name = "gate e2e", source = "e2e", rtsp_url = _camera.Url(1), storage_mode = "LOCAL" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var cameraId = created.GetProperty("id").GetGuid();
        await (await admin.PostAsync($"api/v1/recording/start/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.Accepted);
        await WaitForSegmentsAsync(cameraId, 3);
        _camera.Stop();
        await WaitForStateAsync(cameraId, "RECONNECTING");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _camera.StartAsync();
        await WaitForStateAsync(cameraId, "RECORDING");
        var beforeReturn = (await SegmentsAsync(cameraId)).Length;
        await WaitForSegmentsAsync(cameraId, beforeReturn + 2);
        await (await admin.PostAsync($"api/v1/recording/stop/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.OK);
        await WaitUntilAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"api/v1/recording/status/{cameraId}")).GetProperty("state").GetString() == "STOPPED",
            "the recording stopped");

        var segments = await SegmentsAsync(cameraId);
        Assert.All(segments, s => Assert.Equal(s3 is null ? "filesystem" : "s3", s.GetProperty("storage_backend").GetString()));
        var gapAfter = Enumerable.Range(1, segments.Length - 1)
            .Where(i => Start(segments[i]) - End(segments[i - 1]) > TimeSpan.FromSeconds(1))
            .ToArray();
        var firstAfterGap = Assert.Single(gapAfter);
        Assert.True(firstAfterGap >= 3, $"three segments before the outage, {firstAfterGap} found");

        // 'from' lies half a second after the second key frame of the first segment (between key frames);
        // 'to' lies just before the end of the first segment after the gap (a key frame interval ends there)
        var first = segments[0];
        var secondKey = first.GetProperty("keyframes")[1];
        var from = Start(first).AddMilliseconds(secondKey[0].GetInt64() + 500);
        var to = End(segments[firstAfterGap]).AddMilliseconds(-200);
        var covered = segments[..(firstAfterGap + 1)];
        var recordedInRange = covered.Sum(s => (Min(End(s), to) - Max(Start(s), from)).TotalSeconds);

        // metadata: a tag on a segment, an incident over the range, found by full-text search
        var tag = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        var tagged = covered[1].GetProperty("id").GetGuid();
        await (await admin.PostAsJsonAsync("api/v1/metadata/tags", new { name = tag, category = "test" })).AssertJsonAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync($"api/v1/metadata/segments/{tagged}/tags", new { tag_name = tag })).AssertJsonAsync(HttpStatusCode.Created);
        var byTag = await admin.GetFromJsonAsync<JsonElement>($"api/v1/metadata/search?type=segments&tag={tag}&camera_id={cameraId}");
        Assert.Equal([tagged], byTag.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var incident = await (await admin.PostAsJsonAsync("api/v1/metadata/incidents", new
        {
            title = "Forklift strikes the depot gate",
            description = "The camera went dark for a few seconds during the collision.",
            severity = "HIGH",
            camera_ids = new[] { cameraId },
            start_time = from,
            end_time = to,
        })).AssertJsonAsync(HttpStatusCode.Created);
        var found = await admin.GetFromJsonAsync<JsonElement>("api/v1/metadata/search?type=incidents&q=" + Uri.EscapeDataString("forklift collision -drill"));
        var hit = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal(incident.GetProperty("id").GetGuid(), hit.GetProperty("incident").GetProperty("id").GetGuid());

        // the HLS playlist of the range: every covered segment, a discontinuity at each new file, the precise start
        var hls = $"api/v1/playback/{cameraId}/hls?from={Iso(from)}&to={Iso(to)}";
        var playlist = await admin.GetStringAsync(hls);
        var lines = playlist.Split('\n');
        Assert.Equal(
            covered.Select(s => Playback.Playlists.MediaName.Of(s.GetProperty("start_time").GetDateTimeOffset(), s.GetProperty("storage_backend").GetString()!).ToString()),
            lines.Where(l => l.StartsWith("m/", StringComparison.Ordinal)).Select(l => l.Split('/')[2][..^3]).Distinct());
        Assert.Equal(covered.Length - 1, lines.Count(l => l == "#EXT-X-DISCONTINUITY"));
        Assert.EndsWith("#EXT-X-ENDLIST\n", playlist);
        var startOffset = double.Parse(
            lines.Single(l => l.StartsWith("#EXT-X-START:TIME-OFFSET=", StringComparison.Ordinal))["#EXT-X-START:TIME-OFFSET=".Length..].Split(',')[0],
            CultureInfo.InvariantCulture);
        var firstChunkStart = DateTimeOffset.Parse(lines.First(l => l.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))["#EXT-X-PROGRAM-DATE-TIME:".Length..], CultureInfo.InvariantCulture);

        var url = new Uri(_server.BaseAddress, hls).ToString();
        var withKey = PlayerProbe.WithApiKey(FootageServer.AdminKey);
        var errors = await PlayerProbe.DecodeErrorsAsync(url, withKey);
        Assert.True(errors.Length == 0, errors);

        // packets are the stored ones, bit for bit: the covered segments' objects from the key frame before 'from'
        var stored = new List<string>();
        var skipped = -1;
        foreach (var segment in covered)
        {
            var file = await DownloadSegmentAsync(segment);
            if (skipped < 0)
            {
                var keyMs = secondKey[0].GetInt64();
                var packets = await PlayerProbe.PacketsAsync(file);
                skipped = Array.FindIndex(packets, p => p.Key && Math.Abs(((p.Pts - packets[0].Pts) * 1000) - keyMs) < 2);
                Assert.True(skipped > 0, $"the first segment has a key frame packet at {keyMs} ms");
            }

            stored.AddRange(await TestMedia.PacketHashesAsync(file));
        }

        var played = await TestMedia.PacketHashesAsync(url, withKey);
        Assert.Equal(stored.Skip(skipped), played);

        // the first frame the player shows: it starts TIME-OFFSET into the first chunk (ffmpeg itself ignores EXT-X-START)
        var frames = await PlayerProbe.FrameTimesAsync(url, 60, withKey);
        var shown = frames.First(t => t - frames[0] >= startOffset - 0.001);
        var shownAt = firstChunkStart.AddSeconds(shown - frames[0]);
        Assert.True(Math.Abs((shownAt - from).TotalSeconds) <= Frame, $"the first frame shown is at {shownAt:O}, {(shownAt - from).TotalMilliseconds:0} ms from {from:O}");

        // the download joins the footage on either side of the gap (concat, -c copy): the MP4 lasts the
        // recorded time inside the range, not its wall-clock span
        var download = await admin.GetAsync($"api/v1/playback/download?camera_id={cameraId}&from={Iso(from)}&to={Iso(to)}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var mp4 = Path.Combine(_scratch.Path, "download.mp4");
        await File.WriteAllBytesAsync(mp4, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(string.Empty, await PlayerProbe.DecodeErrorsAsync(mp4));
        // streamed as fragmented MP4: it starts at the key frame before 'from', and its edit list starts it at 'from'
        var downloaded = await DownloadedMp4.ReadAsync(mp4);
        Assert.Equal(-downloaded.FrameTimes[0], downloaded.EditListStart, 0.021);
        var shownFrames = downloaded.Shown;
        Assert.InRange(shownFrames[0], 0, Frame);
        var duration = shownFrames.Length * Frame;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{covered.Length} segments, gap {(Start(segments[firstAfterGap]) - End(segments[firstAfterGap - 1])).TotalSeconds:0.000} s, {played.Length} packets played, " +
            $"first frame shown {(shownAt - from).TotalMilliseconds:0.0} ms from 'from', download {duration:0.000} s for {recordedInRange:0.000} s recorded in a {(to - from).TotalSeconds:0.000} s range");
        Assert.True(Math.Abs(duration - recordedInRange) <= 0.1, $"the download lasts {duration:0.000} s; {recordedInRange:0.000} s are recorded in the range (span {(to - from).TotalSeconds:0.000} s)");
    }

    private async Task<string> DownloadSegmentAsync(JsonElement segment)
    {
        var id = segment.GetProperty("id").GetGuid();
        var bytes = await _server.Admin.GetByteArrayAsync($"api/v1/storage/segments/by-id/{id}/content");
        Assert.Equal(segment.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var file = Path.Combine(_scratch.Path, $"{id}.ts");
        await File.WriteAllBytesAsync(file, bytes);
        return file;
    }

    private async Task<JsonElement[]> SegmentsAsync(Guid cameraId)
    {
        var page = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{cameraId}?limit=1000&include=keyframes");
        return page.GetProperty("items").EnumerateArray().ToArray();
    }

    private Task WaitForSegmentsAsync(Guid cameraId, int count) =>
        WaitUntilAsync(async () => (await SegmentsAsync(cameraId)).Length >= count, $"{count} segments are catalogued");

    private Task WaitForStateAsync(Guid cameraId, string state) =>
        WaitUntilAsync(
            async () => (await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/recording/status/{cameraId}")).GetProperty("state").GetString() == state,
            $"the camera is {state}");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(200);
        }
    }

    private static DateTimeOffset Start(JsonElement segment) => segment.GetProperty("start_time").GetDateTimeOffset();

    private static DateTimeOffset End(JsonElement segment) => segment.GetProperty("end_time").GetDateTimeOffset();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Iso(DateTimeOffset instant) => Uri.EscapeDataString(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
}

public sealed class RecordAndPlayBackOnFilesystemTests(PostgresServer postgres) : RecordAndPlayBackTests(postgres, null);

public sealed class RecordAndPlayBackOnS3Tests(PostgresServer postgres, RadosGateway s3) : RecordAndPlayBackTests(postgres, s3);

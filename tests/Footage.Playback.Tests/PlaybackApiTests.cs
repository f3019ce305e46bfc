using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;

namespace Footage.Playback.Tests;

/// <summary>
/// Playback from real H.264 segments made by ffmpeg: three 6 s files, the third after a 4 s hole,
/// registered with their key-frame index, then played through the real host. Each test registers them for a camera of its
/// own: the tests of a class share one server.
/// </summary>
public abstract class PlaybackApiTests(SharedFootageServer shared) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly TempFolder SharedMedia = new("footage-media");
    private static readonly Lazy<Task<string[]>> Files = new(MakeFilesAsync);
    private readonly FootageServer _server = shared.Server;
    private Guid _camera;
    private readonly List<(Guid Id, string File)> _segments = [];

    public async ValueTask InitializeAsync()
    {
        _camera = Guid.NewGuid();
        var starts = new[] { T0, T0.AddSeconds(6), T0.AddSeconds(16) };
        var files = await Files.Value;
        for (var i = 0; i < starts.Length; i++)
        {
            var id = await RegisterAsync(files[i], starts[i], TimeSpan.FromSeconds(await TestMedia.ProbeDurationAsync(files[i])));
            _segments.Add((id, files[i]));
        }
    }

    /// <summary>Three different 6 s clips, made once for all tests of the run (they are only read).</summary>
    private static async Task<string[]> MakeFilesAsync()
    {
        var patterns = new[] { "testsrc2", "smptebars", "mandelbrot" };
        var files = new string[patterns.Length];
        for (var i = 0; i < patterns.Length; i++)
        {
            files[i] = await TestMedia.MakeTsAsync(Path.Combine(SharedMedia.Path, $"{i}.ts"), 6, patterns[i]);
        }

        return files;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string Hls(DateTimeOffset from, DateTimeOffset to, string extra = "") =>
        $"api/v1/playback/{_camera}/hls?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}{extra}";

    [Fact]
    public async Task A_playlist_across_three_files_and_a_gap_decodes_cleanly_with_packets_identical_to_the_stored_files()
    {
        var url = Hls(T0, T0.AddSeconds(22));
        var response = await _server.Admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apple.mpegurl", response.Content.Headers.ContentType?.MediaType);
        var playlist = await response.Content.ReadAsStringAsync();
        Assert.Contains("#EXT-X-BYTERANGE:", playlist);
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:00:00.000Z", playlist);
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:00:16.000Z", playlist);
        Assert.Equal(2, playlist.Split("#EXT-X-DISCONTINUITY").Length - 1);
        Assert.EndsWith("#EXT-X-ENDLIST\n", playlist);

        var absolute = new Uri(_server.BaseAddress, url).ToString();
        var headers = $"X-Api-Key: {FootageServer.AdminKey}\r\n";
        var errors = await DecodeErrorsAsync(absolute, headers);
        Assert.True(errors.Length == 0, errors);

        var played = await TestMedia.PacketHashesAsync(absolute, "-headers", headers, "-protocol_whitelist", "http,tcp,file,crypto");
        var stored = new List<string>();
        foreach (var (_, file) in _segments)
        {
            stored.AddRange(await TestMedia.PacketHashesAsync(file));
        }

                Assert.Equal(stored, played);
    }

    [Fact]
    public async Task A_range_starting_mid_file_starts_at_the_key_frame_before_and_announces_the_precise_start()
    {
        var playlist = await _server.Admin.GetStringAsync(Hls(T0.AddSeconds(2.5), T0.AddSeconds(5), "&hls_time=1"));
        Assert.Contains("#EXT-X-START:TIME-OFFSET=0.5,PRECISE=YES", playlist);
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:00:02.000Z", playlist);
        Assert.DoesNotContain("08:00:01.000Z", playlist);
        Assert.DoesNotContain("08:00:06.000Z", playlist);
    }

    [Fact]
    public async Task Media_links_are_short_names_in_a_signed_folder_of_one_camera_honour_ranges_and_refuse_tampering()
    {
        var playlist = await _server.Admin.GetStringAsync(Hls(T0, T0.AddSeconds(6)));
        var link = playlist.Split('\n').First(l => l.StartsWith("m/", StringComparison.Ordinal));
        Assert.Equal($"{Playlists.MediaName.Of(T0, "filesystem")}.ts", link.Split('/')[2]);
        Assert.True(link.Length < 40, $"a chunk's link is {link.Length} characters: {link}");
        var mediaUrl = $"api/v1/playback/{_camera}/{link}";
        var anonymous = _server.CreateClient();
        var bytes = await File.ReadAllBytesAsync(_segments[0].File);

        var whole = await anonymous.GetAsync(mediaUrl);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/mp2t", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());

        foreach (var (range, from, to) in new[] { ("bytes=0-187", 0L, 187L), ("bytes=376-", 376L, bytes.Length - 1L), ("bytes=-188", bytes.Length - 188L, bytes.Length - 1L) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, mediaUrl);
            request.Headers.TryAddWithoutValidation("Range", range);
            var partial = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal($"bytes {from}-{to}/{bytes.Length}", partial.Content.Headers.ContentRange?.ToString());
            Assert.Equal(bytes[(int)from..((int)to + 1)], await partial.Content.ReadAsByteArrayAsync());
        }

        using (var several = new HttpRequestMessage(HttpMethod.Get, mediaUrl))
        {
            several.Headers.TryAddWithoutValidation("Range", "bytes=0-10,20-30");
            Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(several)).StatusCode);
        }

        using (var past = new HttpRequestMessage(HttpMethod.Get, mediaUrl))
        {
            past.Headers.TryAddWithoutValidation("Range", $"bytes={bytes.Length}-");
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await anonymous.SendAsync(past)).StatusCode);
        }

        var token = link.Split('/')[1];
        var otherCamera = mediaUrl.Replace(_camera.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal);
        await (await anonymous.GetAsync(otherCamera)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var tampered = mediaUrl.Replace(token, token[..^3] + (token[^3..] == "AAA" ? "BBB" : "AAA"), StringComparison.Ordinal);
        await (await anonymous.GetAsync(tampered)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var stretched = mediaUrl.Replace(token, "z" + token, StringComparison.Ordinal);
        await (await anonymous.GetAsync(stretched)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var unsigned = mediaUrl.Replace(token, "none", StringComparison.Ordinal);
        await (await anonymous.GetAsync(unsigned)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.GetAsync(unsigned)).StatusCode);
        await (await _server.Admin.GetAsync(mediaUrl.Replace(".ts", "!.ts", StringComparison.Ordinal))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_timeline_shows_spans_gaps_segments_and_the_annotations_and_incidents_as_markers()
    {
        (await _server.Admin.PostAsJsonAsync("api/v1/metadata/annotations", new { segment_id = _segments[0].Id, timestamp_offset = 1500, type = "event", content = "gate opens" }))
            .EnsureSuccessStatusCode();
        (await _server.Admin.PostAsJsonAsync("api/v1/metadata/incidents", new
        {
            title = "Gate forced", severity = "HIGH", camera_ids = new[] { _camera }, start_time = T0.AddSeconds(3), end_time = T0.AddSeconds(8),
        })).EnsureSuccessStatusCode();
        var timeline = await _server.Admin.GetFromJsonAsync<JsonElement>(
            $"api/v1/playback/{_camera}/segments?from={Uri.EscapeDataString(T0.AddSeconds(-10).ToString("O"))}&to={Uri.EscapeDataString(T0.AddSeconds(30).ToString("O"))}");
        var spans = timeline.GetProperty("spans").EnumerateArray().ToArray();
        Assert.Equal(2, spans.Length);
        Assert.Equal("2026-11-23T08:00:00Z", spans[0].GetProperty("start_time").GetString());
        Assert.Equal("2026-11-23T08:00:16Z", spans[1].GetProperty("start_time").GetString());
        Assert.Equal(3, timeline.GetProperty("gaps").GetArrayLength());
        Assert.Equal(3, timeline.GetProperty("segments").GetArrayLength());
        Assert.InRange(timeline.GetProperty("recorded_seconds").GetDouble(), 17.5, 18.5);
        var markers = timeline.GetProperty("markers").EnumerateArray().ToArray();
        Assert.Equal(["annotation", "incident"], markers.Select(m => m.GetProperty("kind").GetString()!));
        Assert.Equal("2026-11-23T08:00:01.5Z", markers[0].GetProperty("start").GetString());
        Assert.Equal("gate opens", markers[0].GetProperty("label").GetString());
        Assert.Equal("2026-11-23T08:00:08Z", markers[1].GetProperty("end").GetString());
    }

    [Fact]
    public async Task A_cached_playlist_is_dropped_when_a_segment_is_deleted_and_its_media_is_gone()
    {
        var url = Hls(T0, T0.AddSeconds(22));
        var before = await _server.Admin.GetStringAsync(url);
        Assert.Equal(before, await _server.Admin.GetStringAsync(url));
        var metrics = await _server.CreateClient().GetStringAsync("metrics");
        Assert.Matches("footage_playback_cache_requests_total\\{kind=\"playlist\",result=\"hit\"\\} [1-9]", metrics);

        var third = _segments[2].Id;
        var name = Playlists.MediaName.Of(T0.AddSeconds(16), "filesystem").ToString();
        var link = before.Split('\n').First(l => l.Contains(name, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Admin.DeleteAsync($"api/v1/storage/segments/{third}")).StatusCode);

        var after = await _server.Admin.GetStringAsync(url);
        Assert.DoesNotContain(name, after);
        await (await _server.CreateClient().GetAsync($"api/v1/playback/{_camera}/{link}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_download_is_one_mp4_of_the_range_starting_at_from_across_files()
    {
        var response = await _server.Admin.GetAsync(
            $"api/v1/playback/download?camera_id={_camera}&from=2026-11-23T08:00:02.5Z&to=2026-11-23T08:00:10Z");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var path = Path.Combine(SharedMedia.Path, $"download-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());

        // 3.5 s of the first file and 4 s of the second (25 frames a second), shown from 'from' on: the file starts at the
        // key frame 0.5 s before 'from' (1 s key frames), and its edit list starts presentation 0.5 s in, at 'from'
        Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(path));
        var mp4 = await DownloadedMp4.ReadAsync(path);
        Assert.Equal(0.5, mp4.EditListStart, 0.021);
        Assert.Equal(-mp4.FrameTimes[0], mp4.EditListStart, 0.021);
        Assert.InRange(mp4.FrameTimes.Length - mp4.Shown.Length, 12, 13);
        Assert.InRange(mp4.Shown[0], 0, 0.04);
        Assert.Equal(7.5, mp4.Shown.Length * 0.04, 0.041);

        await (await _server.Admin.GetAsync($"api/v1/playback/download?camera_id={_camera}&from=2026-11-23T07:00:00Z&to=2026-11-23T07:30:00Z")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("camera_id", (await (await _server.Admin.GetAsync("api/v1/playback/download?from=2026-11-23T08:00:00Z&to=2026-11-23T08:00:10Z")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("to", (await (await _server.Admin.GetAsync($"api/v1/playback/download?camera_id={_camera}&from=2026-11-23T00:00:00Z&to=2026-11-23T23:00:00Z")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
    }

    [Fact]
    public async Task A_link_plays_its_range_in_ffmpeg_without_a_key_names_who_made_it_is_audited_and_stops_when_revoked()
    {
        var viewer = await _server.ClientAsync("viewer");
        var made = await (await viewer.PostAsJsonAsync($"api/v1/playback/{_camera}/links", new { from = T0.AddSeconds(1), to = T0.AddSeconds(20), lifetime = "PT2H" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var url = made.GetProperty("url").GetString()!;
        var id = made.GetProperty("id").GetGuid();
        Assert.False(made.GetProperty("live").GetBoolean());
        Assert.InRange(made.GetProperty("expires_at").GetDateTimeOffset() - made.GetProperty("created_at").GetDateTimeOffset(), TimeSpan.FromMinutes(119), TimeSpan.FromMinutes(121));
        Assert.EndsWith("/index.m3u8", url, StringComparison.Ordinal);

        // any player, no header: the playlist names who shared it, its links are bare file names in the link's folder
        var anonymous = _server.CreateClient();
        var playlist = await anonymous.GetStringAsync(url);
        var maker = made.GetProperty("created_by").GetString()!;
        Assert.StartsWith($"#EXTM3U\n# Shared by {maker} ", playlist, StringComparison.Ordinal);
        Assert.Contains($"\n{Playlists.MediaName.Of(T0, "filesystem")}.ts\n", playlist, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await DecodeErrorsAsync(url, ""));
        var audit = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/audit?actor={Uri.EscapeDataString($"{maker} (link {id})")}");
        var entry = Assert.Single(audit.EnumerateArray());
        Assert.DoesNotContain(url.Split('/')[^2], entry.GetRawText(), StringComparison.Ordinal);

        // the link reaches its own range only, and its token no other link's folder
        var folder = url[..url.LastIndexOf('/')];
        await (await anonymous.GetAsync($"{folder}/{Playlists.MediaName.Of(T0.AddHours(-5), "filesystem")}.ts")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync(url.Replace(id.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal))).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var listed = await viewer.GetFromJsonAsync<JsonElement>("api/v1/playback/links");
        var mine = Assert.Single(listed.GetProperty("links").EnumerateArray(), l => l.GetProperty("id").GetGuid() == id);
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("url").ValueKind);
        var otherKey = await (await _server.Admin.PostAsJsonAsync("api/v1/auth/keys", new { name = $"another-viewer-{Guid.NewGuid():N}", role = "viewer" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var other = _server.CreateClient(otherKey.GetProperty("key").GetString()!);
        await (await other.DeleteAsync($"api/v1/playback/links/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await other.GetFromJsonAsync<JsonElement>("api/v1/playback/links")).GetProperty("links").EnumerateArray(), l => l.GetProperty("id").GetGuid() == id);
        (await viewer.DeleteAsync($"api/v1/playback/links/{id}")).EnsureSuccessStatusCode();
        await Task.Delay(Links.PlaybackLinkRepository.CacheFor + TimeSpan.FromSeconds(1));
        await (await anonymous.GetAsync(url)).AssertProblemAsync(HttpStatusCode.Gone);

        Assert.Contains("lifetime", (await (await viewer.PostAsJsonAsync($"api/v1/playback/{_camera}/links", new { lifetime = "P30D" })).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("lifetime", (await (await viewer.PostAsJsonAsync($"api/v1/playback/{_camera}/links", new { lifetime = "soon" })).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("to", (await (await viewer.PostAsJsonAsync($"api/v1/playback/{_camera}/links", new { from = T0.AddSeconds(9), to = T0 })).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        await (await viewer.PostAsJsonAsync($"api/v1/playback/{Guid.NewGuid()}/links", new { lifetime = "PT1H" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("api/v1/playback/not-a-uuid/hls?from=2026-11-23T08:00:00Z&to=2026-11-23T09:00:00Z", "camera_id")]
    [InlineData("api/v1/playback/CAMERA/hls?to=2026-11-23T09:00:00Z", "from")]
    [InlineData("api/v1/playback/CAMERA/hls?from=2026-11-23T09:00:00Z&to=2026-11-23T08:00:00Z", "to")]
    [InlineData("api/v1/playback/CAMERA/hls?from=2026-11-01T00:00:00Z&to=2026-11-09T00:00:00Z", "to")]
    [InlineData("api/v1/playback/CAMERA/hls?from=2026-11-23T08:00:00Z&to=2026-11-23T09:00:00Z&hls_time=0", "hls_time")]
    [InlineData("api/v1/playback/CAMERA/hls?from=yesterday&to=2026-11-23T09:00:00Z", "from")]
    [InlineData("api/v1/playback/CAMERA/segments?from=2026-11-23T09:00:00Z&to=2026-11-23T08:00:00Z", "to")]
    public async Task Bad_requests_are_400_naming_the_parameter(string url, string field)
    {
        var problem = await (await _server.Admin.GetAsync(url.Replace("CAMERA", _camera.ToString(), StringComparison.Ordinal))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
    }

    [Fact]
    public async Task Seven_days_are_allowed_at_a_long_enough_hls_time_an_empty_range_is_404_and_viewers_may_play()
    {
        var viewer = await _server.ClientAsync("viewer");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(Hls(T0.AddDays(-6), T0.AddDays(1), "&hls_time=60"))).StatusCode);
        // at the default hls_time a week would list 60,480 chunks: more than a playlist may (10,080, about 2.2 MB)
        var tooLong = await (await viewer.GetAsync(Hls(T0.AddDays(-6), T0.AddDays(1)))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("hls_time", tooLong.ErrorFields());
        await (await viewer.GetAsync(Hls(T0.AddDays(-3), T0.AddDays(-2)))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.GetAsync($"api/v1/playback/{Guid.NewGuid()}/hls?from=2026-11-23T08:00:00Z&to=2026-11-23T09:00:00Z")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _server.CreateClient().GetAsync(Hls(T0, T0.AddSeconds(5)))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Without_to_or_with_to_after_now_the_playlist_is_a_live_sliding_window_never_cached()
    {
        var now = DateTimeOffset.UtcNow;
        var file = (await Files.Value)[0];
        await RegisterAsync(file, now.AddSeconds(-30), TimeSpan.FromSeconds(await TestMedia.ProbeDurationAsync(file)));
        var name = Playlists.MediaName.Of(now.AddSeconds(-30), "filesystem").ToString();
        var from = Uri.EscapeDataString(now.AddMinutes(-1).ToString("O"));
        string? first = null;
        foreach (var url in new[]
                 {
                     $"api/v1/playback/{_camera}/hls?from={from}", $"api/v1/playback/{_camera}/hls?from={from}&to={Uri.EscapeDataString(now.AddHours(1).ToString("O"))}",
                     $"api/v1/playback/{_camera}/hls",
                 })
        {
            var response = await _server.Admin.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
            var playlist = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("#EXT-X-PLAYLIST-TYPE", playlist, StringComparison.Ordinal);
            Assert.DoesNotContain("#EXT-X-ENDLIST", playlist, StringComparison.Ordinal);
            // no recorder holds this camera: the stored footage only, in chunks of the live default (2 s, at 1 s key frames), and
            // no partial segments (nothing is being written)
            var links = playlist.Split('\n').Where(l => l.StartsWith("m/", StringComparison.Ordinal)).ToArray();
            Assert.All(links, l => Assert.EndsWith($"/{name}.ts", l, StringComparison.Ordinal));
            Assert.Equal(3, links.Length);
            Assert.DoesNotContain("#EXT-X-PART", playlist, StringComparison.Ordinal);
            // every viewer of the camera's live edge gets the same chunks under the same numbers
            Assert.Equal(first ??= playlist, playlist);
        }

        var future = Uri.EscapeDataString(now.AddMinutes(5).ToString("O"));
        Assert.Contains("from", (await (await _server.Admin.GetAsync($"api/v1/playback/{_camera}/hls?from={future}")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        var eightDays = Uri.EscapeDataString(now.AddDays(-8).ToString("O"));
        Assert.Contains("from", (await (await _server.Admin.GetAsync($"api/v1/playback/{_camera}/hls?from={eightDays}")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        await (await _server.Admin.GetAsync($"api/v1/playback/{Guid.NewGuid()}/hls?from={from}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("_hls_msn", (await (await _server.Admin.GetAsync(Hls(T0, T0.AddSeconds(6), "&_HLS_msn=3"))).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("_hls_part", (await (await _server.Admin.GetAsync($"api/v1/playback/{_camera}/hls?_HLS_msn=3&_HLS_part=x")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
    }

    private async Task<Guid> RegisterAsync(string file, DateTimeOffset start, TimeSpan duration)
    {
        var bytes = await File.ReadAllBytesAsync(file);
        var key = ObjectKeys.ForSegment(_camera, start);
        await _server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), null, CancellationToken.None);
        var response = await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = _camera,
            start_time = start,
            end_time = start + duration,
            size_bytes = bytes.Length,
            storage_path = key,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            keyframes = await TestMedia.KeyframesAsync(file),
        });
        var body = await response.AssertJsonAsync(HttpStatusCode.Created);
        return body.GetProperty("id").GetGuid();
    }

    private static async Task<string> DecodeErrorsAsync(string url, string headers)
    {
        string[] header = headers.Length > 0 ? ["-headers", headers] : [];
        var result = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(CliWrap.Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-v", "error", .. header, "-protocol_whitelist", "http,tcp,file,crypto", "-i", url, "-f", "null", "-"])
            .WithValidation(CliWrap.CommandResultValidation.None));
        return (result.StandardError + (result.ExitCode != 0 ? $" (exit {result.ExitCode})" : string.Empty)).Trim();
    }
}

public sealed class SqlitePlaybackApiTests(SharedSqliteServer server) : PlaybackApiTests(server), IClassFixture<SharedSqliteServer>;

public sealed class PostgresPlaybackApiTests(SharedPostgresServer server) : PlaybackApiTests(server), IClassFixture<SharedPostgresServer>;

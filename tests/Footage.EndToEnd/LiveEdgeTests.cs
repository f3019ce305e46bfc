using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Live;
using Footage.Playback.Live;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Footage.EndToEnd;

/// <summary>
/// The live edge on real parts: a GStreamer RTSP camera recorded by the real host with long (12 s) segments, a live
/// playlist (no <c>to</c>) that grows while the segment is being written, decodes cleanly and reaches a few seconds before
/// now, then goes on from the catalogued segment with every chunk listed exactly as before once the file closes and is uploaded.
/// </summary>
public sealed class LiveEdgeTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempFolder _scratch = new("footage-live");
    private CameraSimulator _camera = null!;
    private FootageServer _server = null!;
    private Guid _cameraId;

    public async ValueTask InitializeAsync()
    {
        _camera = await CameraSimulator.StartAsync();
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Footage:Recording:SegmentSeconds"] = "12",
            ["Footage:Recording:StallTimeout"] = "00:00:05",
            ["Footage:Recording:StartTimeout"] = "00:00:15",
            ["Footage:Recording:UploadBackoffMax"] = "00:00:01",
            ["Footage:Recording:PollInterval"] = "00:00:00.2",
            ["Footage:Recording:MinFreeSpoolBytes"] = "0",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _camera.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_live_playlist_grows_while_the_segment_is_written_and_keeps_every_chunk_as_listed_once_the_file_is_catalogued()
    {
        var admin = _server.Admin;
        var created = await (await admin.PostAsJsonAsync("api/v1/cameras", new { name = "live edge", source = "live", rtsp_url = _camera.Url(1), storage_mode = "LOCAL" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var cameraId = _cameraId = created.GetProperty("id").GetGuid();
        await (await admin.PostAsync($"api/v1/recording/start/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.Accepted);
        var live = $"api/v1/playback/{cameraId}/hls";
        var watcher = new LivePlaylistWatcher();

        // the first file is still being written: its whole chunks are listed already, from the recorder's spool, with the pictures
        // after them as partial segments (low latency)
        var first = await WaitForPlaylistAsync(live, watcher, p => Chunks(p).Count >= 2, "the live playlist lists two chunks");
        Assert.False(await CataloguedAsync(cameraId), "the first 12 s segment is not catalogued yet");
        Assert.DoesNotContain("#EXT-X-PLAYLIST-TYPE", first, StringComparison.Ordinal);
        Assert.DoesNotContain("#EXT-X-ENDLIST", first, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES", first, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-PRELOAD-HINT:TYPE=PART", first, StringComparison.Ordinal);
        var response = await admin.GetAsync(live);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());

        // re-fetched, it has grown and only grown; its last chunk started a few seconds ago
        var grown = await WaitForPlaylistAsync(live, watcher, p => Chunks(p).Count > Chunks(first).Count + 1, "the live playlist grows");
        var fetchedAt = DateTimeOffset.UtcNow;
        var lastStart = Chunks(grown)[^1].Start!.Value;
        TestContext.Current.TestOutputHelper?.WriteLine($"last chunk of the growing playlist starts {(fetchedAt - lastStart).TotalSeconds:0.00} s before it was fetched");
        Assert.True(fetchedAt - lastStart < TimeSpan.FromSeconds(10), $"the last chunk starts at {lastStart:O}, {(fetchedAt - lastStart).TotalSeconds:0.0} s before {fetchedAt:O}");
        Assert.Equal(string.Empty, await DecodeErrorsAsync(grown));
        var spooled = await RangeAsync(Chunks(grown)[0]);

        // a blocking reload (LL-HLS) of the next segment answers once it is there
        var next = Chunks(grown)[^1].Sequence + 1;
        var blocked = System.Diagnostics.Stopwatch.StartNew();
        var waited = await admin.GetStringAsync($"{live}?_HLS_msn={next}");
        Assert.Contains(Chunks(waited), c => c.Sequence == next);
        TestContext.Current.TestOutputHelper?.WriteLine($"a blocking reload of the next segment answered in {blocked.ElapsedMilliseconds} ms");
        watcher.Observe(waited);

        // split mode reads the same through the Recording API
        using var recorder = _server.CreateClient(FootageServer.AdminKey);
        var remoteSource = new HttpLiveSegmentSource(recorder, NullLogger<HttpLiveSegmentSource>.Instance, TimeProvider.System);
        IReadOnlyList<LiveSegment> remote = [], local = [];
        // the two listings are two calls: a file closed and uploaded between them makes them differ; and just after a rotation
        // there may be nothing to list (the closed file already uploaded, the new one without its first written bytes, as ffmpeg
        // writes 256 KB at a time): so they are taken again until one pair saw the same files
        var listedBy = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (remote.Count == 0 || local.Count == 0 || local[0].File != remote[0].File)
        {
            Assert.True(DateTime.UtcNow < listedBy, $"the recorder's files through the API [{string.Join(", ", remote.Select(f => f.File))}] and here [{string.Join(", ", local.Select(f => f.File))}]");
            remote = await remoteSource.ListAsync(cameraId, CancellationToken.None);
            local = await _server.Get<ILiveSegmentSource>().ListAsync(cameraId, CancellationToken.None);
            await Task.Delay(remote.Count == 0 || local.Count == 0 ? 200 : 0);
        }

        Assert.Equal(local[0].File, remote[0].File);
        Assert.True(Math.Abs((local[0].StartTime - remote[0].StartTime).TotalMilliseconds) <= 100, $"{local[0].StartTime:O} here, {remote[0].StartTime:O} through the API");
        Assert.Equal(local[0].Keyframes.Entries.Take(remote[0].Keyframes.Entries.Count), remote[0].Keyframes.Entries);
        Assert.True(remote.Any(f => f.Frames.Count > 0) && local.Any(f => f.Frames.Count > 0),
            "where pictures start, for partial segments: " + string.Join(", ", remote.Concat(local).Select(f => $"{f.File} open={f.Open} frames={f.Frames.Count} bytes={f.SizeBytes}")));

        // the file closes and is catalogued: every chunk listed before is listed again exactly as it was (link and query, bytes,
        // duration, date-time, number), the playlist continues after it, and it still decodes cleanly
        await WaitUntilAsync(() => CataloguedAsync(cameraId), "the first segment is catalogued");
        var after = await WaitForPlaylistAsync(live, watcher, p => Chunks(p)[^1].Start > lastStart.AddSeconds(14), "the playlist goes on in the next file");
        Assert.Empty(watcher.Violations);
        var starts = Chunks(after).Select(c => c.Start!.Value).ToArray();
        Assert.True(starts.Zip(starts.Skip(1)).All(p => p.Second > p.First), "chunk times strictly increase");
        Assert.Equal(string.Empty, await DecodeErrorsAsync(after));

        // a link from before the upload still plays: it now reads the stored object, the same bytes as the spool had
        Assert.Equal(spooled, await RangeAsync(Chunks(grown)[0]));
        await (await admin.PostAsync($"api/v1/recording/stop/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.OK);
    }

    private async Task<byte[]> RangeAsync(LivePlaylistWatcher.Chunk chunk)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(_server.BaseAddress, $"api/v1/playback/{_cameraId}/"), chunk.Uri));
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(chunk.Offset, chunk.Offset + chunk.Length - 1);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>ffmpeg decodes a snapshot of the playlist (ended, with absolute links) and reports every error.</summary>
    private async Task<string> DecodeErrorsAsync(string playlist)
    {
        var path = Path.Combine(_scratch.Path, $"{Guid.NewGuid():N}.m3u8");
        var baseUri = new Uri(_server.BaseAddress, $"api/v1/playback/{_cameraId}/");
        var lines = playlist.Split('\n').Where(l => !l.StartsWith("#EXT-X-PART", StringComparison.Ordinal) && !l.StartsWith("#EXT-X-PRELOAD-HINT", StringComparison.Ordinal))
            .Select(l => l.StartsWith("m/", StringComparison.Ordinal) ? new Uri(baseUri, l).ToString() : l);
        await File.WriteAllTextAsync(path, string.Join('\n', lines).TrimEnd() + "\n#EXT-X-ENDLIST\n");
        return await PlayerProbe.DecodeErrorsAsync(path, "-protocol_whitelist", "file,http,tcp,crypto");
    }

    private async Task<string> WaitForPlaylistAsync(string url, LivePlaylistWatcher watcher, Func<string, bool> condition, string what)
    {
        string? playlist = null;
        await WaitUntilAsync(
            async () =>
            {
                var response = await _server.Admin.GetAsync(url);
                playlist = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
                if (playlist is not null)
                {
                    watcher.Observe(playlist);
                }

                return playlist is not null && Chunks(playlist).Count > 0 && condition(playlist);
            },
            what);
        return playlist!;
    }

    private async Task<bool> CataloguedAsync(Guid cameraId)
    {
        var page = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{cameraId}?limit=10");
        return page.GetProperty("items").GetArrayLength() > 0;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(500);
        }
    }

    private static IReadOnlyList<LivePlaylistWatcher.Chunk> Chunks(string playlist) => LivePlaylistWatcher.Parse(playlist, out _, out _);
}

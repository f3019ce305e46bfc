using System.Globalization;
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
/// now, then continues from the catalogued segment with the same chunks once the file closes and is uploaded.
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
    public async Task A_live_playlist_grows_while_the_segment_is_written_and_continues_from_the_stored_segment_without_a_duplicate()
    {
        var admin = _server.Admin;
        var created = await (await admin.PostAsJsonAsync("api/v1/cameras", new { name = "live edge", source = "live", rtsp_url = _camera.Url(1), storage_mode = "LOCAL" }))
            .AssertJsonAsync(HttpStatusCode.Created);
        var cameraId = _cameraId = created.GetProperty("id").GetGuid();
        var from = DateTimeOffset.UtcNow.AddSeconds(-5);
        await (await admin.PostAsync($"api/v1/recording/start/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.Accepted);
        var live = $"api/v1/playback/{cameraId}/hls?from={Iso(from)}";

        // the first file is still being written: its whole chunks are listed already, from the recorder's spool
        var first = await WaitForPlaylistAsync(live, p => Chunks(p).Length >= 2, "the live playlist lists two chunks");
        Assert.False(await CataloguedAsync(cameraId), "the first 12 s segment is not catalogued yet");
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:EVENT\n", first, StringComparison.Ordinal);
        Assert.DoesNotContain("#EXT-X-ENDLIST", first, StringComparison.Ordinal);
        Assert.All(Chunks(first), c => Assert.StartsWith("live/", c.Uri, StringComparison.Ordinal));
        var response = await admin.GetAsync(live);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());

        // re-fetched, it has grown and only grown; its last chunk started a few seconds ago
        var grown = await WaitForPlaylistAsync(live, p => Chunks(p).Length > Chunks(first).Length + 1, "the live playlist grows");
        var fetchedAt = DateTimeOffset.UtcNow;
        AssertPrefix(Chunks(first), Chunks(grown), sameUris: true);
        var lastStart = Chunks(grown)[^1].Start;
        TestContext.Current.TestOutputHelper?.WriteLine($"last chunk of the growing playlist starts {(fetchedAt - lastStart).TotalSeconds:0.00} s before it was fetched");
        Assert.True(fetchedAt - lastStart < TimeSpan.FromSeconds(10), $"the last chunk starts at {lastStart:O}, {(fetchedAt - lastStart).TotalSeconds:0.0} s before {fetchedAt:O}");
        Assert.Equal(string.Empty, await DecodeErrorsAsync(grown));

        // split mode reads the same through the Recording API
        using var recorder = _server.CreateClient(FootageServer.AdminKey);
        var remote = await new HttpLiveSegmentSource(recorder, NullLogger<HttpLiveSegmentSource>.Instance, TimeProvider.System).ListAsync(cameraId, CancellationToken.None);
        var local = await _server.Get<ILiveSegmentSource>().ListAsync(cameraId, CancellationToken.None);
        Assert.NotEmpty(remote);
        Assert.Equal(local[0].File, remote[0].File);
        Assert.True(Math.Abs((local[0].StartTime - remote[0].StartTime).TotalMilliseconds) <= 100, $"{local[0].StartTime:O} here, {remote[0].StartTime:O} through the API");
        Assert.Equal(local[0].Keyframes.Entries.Take(remote[0].Keyframes.Entries.Count), remote[0].Keyframes.Entries);

        // the file closes and is catalogued: the playlist continues from the stored segment, every chunk listed before
        // is listed again with the same bytes and times (no duplicate, no hole), and it still decodes cleanly
        await WaitUntilAsync(() => CataloguedAsync(cameraId), "the first segment is catalogued");
        var after = await WaitForPlaylistAsync(live, p => Chunks(p).Any(c => c.Uri.StartsWith("media/", StringComparison.Ordinal)), "the playlist links the stored segment");
        AssertPrefix(Chunks(grown), Chunks(after), sameUris: false);
        var starts = Chunks(after).Select(c => c.Start).ToArray();
        Assert.True(starts.Zip(starts.Skip(1)).All(p => p.Second > p.First), "chunk times strictly increase");
        Assert.Equal(string.Empty, await DecodeErrorsAsync(after));

        // a live link from before the upload still plays: it now reads the stored object, the same bytes
        var old = Chunks(grown)[0];
        var now = Chunks(after)[0];
        Assert.Equal(await RangeAsync(old), await RangeAsync(now));
        await (await admin.PostAsync($"api/v1/recording/stop/{cameraId}", null)).AssertJsonAsync(HttpStatusCode.OK);
    }

    private async Task<byte[]> RangeAsync(Chunk chunk)
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
        var lines = playlist.Split('\n').Select(l => l.StartsWith("live/", StringComparison.Ordinal) || l.StartsWith("media/", StringComparison.Ordinal)
            ? new Uri(baseUri, l).ToString()
            : l);
        await File.WriteAllTextAsync(path, string.Join('\n', lines).TrimEnd() + "\n#EXT-X-ENDLIST\n");
        return await PlayerProbe.DecodeErrorsAsync(path, "-protocol_whitelist", "file,http,tcp,crypto");
    }

    /// <remarks>
    /// Times may move by a few tens of milliseconds while a run's first file is written: the recorder tightens the run's
    /// wall-clock anchor until that file closes.
    /// </remarks>
    private static void AssertPrefix(Chunk[] before, Chunk[] after, bool sameUris)
    {
        Assert.True(after.Length >= before.Length, $"{after.Length} chunks after, {before.Length} before");
        for (var i = 0; i < before.Length; i++)
        {
            var (b, a) = (before[i], after[i]);
            Assert.True(Math.Abs((b.Start - a.Start).TotalMilliseconds) <= 100 && b.Duration == a.Duration && b.Offset == a.Offset && b.Length == a.Length && (!sameUris || Unsigned(b.Uri) == Unsigned(a.Uri)),
                $"chunk {i} changed: {b} became {a}");
        }
    }

    /// <summary>A link without its query: the signature and expiry move with the time the playlist was built.</summary>
    private static string Unsigned(string uri) => uri[..uri.IndexOf('?', StringComparison.Ordinal)];

    private async Task<string> WaitForPlaylistAsync(string url, Func<string, bool> condition, string what)
    {
        string? playlist = null;
        await WaitUntilAsync(
            async () =>
            {
                var response = await _server.Admin.GetAsync(url);
                playlist = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
                return playlist is not null && condition(playlist);
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

    private sealed record Chunk(DateTimeOffset Start, string Duration, long Offset, long Length, string Uri);

    private static Chunk[] Chunks(string playlist)
    {
        var chunks = new List<Chunk>();
        DateTimeOffset start = default;
        string duration = string.Empty;
        long offset = 0, length = 0;
        foreach (var line in playlist.Split('\n'))
        {
            if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            {
                start = DateTimeOffset.Parse(line["#EXT-X-PROGRAM-DATE-TIME:".Length..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                duration = line["#EXTINF:".Length..];
            }
            else if (line.StartsWith("#EXT-X-BYTERANGE:", StringComparison.Ordinal))
            {
                var parts = line["#EXT-X-BYTERANGE:".Length..].Split('@');
                (length, offset) = (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                chunks.Add(new Chunk(start, duration, offset, length, line));
            }
        }

        return chunks.ToArray();
    }

    private static string Iso(DateTimeOffset instant) => Uri.EscapeDataString(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}

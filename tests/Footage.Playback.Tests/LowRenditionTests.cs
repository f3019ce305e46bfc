using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;

namespace Footage.Playback.Tests;

/// <summary>Adaptive bitrate switched on: a master playlist with the original and a lower rendition ffmpeg transcodes on demand.</summary>
public sealed class LowRenditionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _media = new("footage-abr");
    private FootageServer _server = null!;
    private Guid _camera;
    private string _file = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Footage:Playback:Abr:Enabled"] = "true",
            ["Footage:Playback:Abr:LowHeight"] = "90",
            ["Footage:Playback:Abr:LowBitrateKbps"] = "60",
            ["Footage:Playback:HlsTimeSeconds"] = "2",
        });
        _camera = Guid.NewGuid();
        _file = await TestMedia.MakeTsAsync(Path.Combine(_media.Path, "clip.ts"), 6);
        var bytes = await File.ReadAllBytesAsync(_file);
        var key = ObjectKeys.ForSegment(_camera, T0);
        await _server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), null, CancellationToken.None);
        (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = _camera,
            start_time = T0,
            end_time = T0.AddSeconds(await TestMedia.ProbeDurationAsync(_file)),
            size_bytes = bytes.Length,
            storage_path = key,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            keyframes = await TestMedia.KeyframesAsync(_file),
        })).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _media.Dispose();
    }

    [Fact]
    public async Task The_master_playlist_offers_a_lower_rendition_that_decodes_at_the_lower_size_and_bitrate()
    {
        var range = $"from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddSeconds(6).ToString("O"))}";
        var master = await _server.Admin.GetStringAsync($"api/v1/playback/{_camera}/master.m3u8?{range}");
        var variants = master.Split('\n').Where(l => l.StartsWith("hls?", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, variants.Length);
        Assert.EndsWith("&rendition=low", variants[1], StringComparison.Ordinal);

        var low = await _server.Admin.GetStringAsync($"api/v1/playback/{_camera}/{variants[1]}");
        Assert.DoesNotContain("#EXT-X-BYTERANGE", low, StringComparison.Ordinal);
        var links = low.Split('\n').Where(l => l.StartsWith("low/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, links.Length);

        // every chunk of the lower rendition is 90 lines high and smaller than the original's bytes; the playlist decodes cleanly
        var anonymous = _server.CreateClient();
        long lowBytes = 0;
        for (var i = 0; i < links.Length; i++)
        {
            var chunk = Path.Combine(_media.Path, $"low{i}.ts");
            await File.WriteAllBytesAsync(chunk, await anonymous.GetByteArrayAsync($"api/v1/playback/{_camera}/{links[i]}"));
            lowBytes += new FileInfo(chunk).Length;
            var probe = await Cli.Wrap("ffprobe").WithArguments(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=height", "-of", "csv=p=0", chunk]).ExecuteBufferedAsync();
            // (ffprobe lists the stream once more under its MPEG-TS program)
            Assert.Equal(["90"], probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
        }

        Assert.True(lowBytes < new FileInfo(_file).Length / 2, $"{lowBytes} bytes in the low rendition, {new FileInfo(_file).Length} in the original");
        var playlist = Path.Combine(_media.Path, "low.m3u8");
        var baseUri = new Uri(_server.BaseAddress, $"api/v1/playback/{_camera}/");
        await File.WriteAllLinesAsync(playlist, low.Split('\n').Select(l => l.StartsWith("low/", StringComparison.Ordinal) ? new Uri(baseUri, l).ToString() : l));
        var decode = await Cli.Wrap("ffmpeg").WithArguments(["-hide_banner", "-nostdin", "-v", "error", "-protocol_whitelist", "file,http,tcp", "-i", playlist, "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.Equal(string.Empty, decode.StandardError.Trim());
        Assert.Equal(0, decode.ExitCode);

        // a cached chunk is served again without ffmpeg; an unsigned or tampered link is refused
        var again = await anonymous.GetByteArrayAsync($"api/v1/playback/{_camera}/{links[0]}");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_media.Path, "low0.ts")), again);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/v1/playback/{_camera}/{links[0].Replace("offset=", "offset=1", StringComparison.Ordinal)}")).StatusCode);
        var bad = await _server.Admin.GetAsync($"api/v1/playback/{_camera}/hls?{range}&rendition=tiny");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;

namespace Footage.Playback.Tests;

/// <summary>
/// The renditions ffmpeg transcodes on demand, offered by the master playlist with their codecs: the lower one of adaptive bitrate
/// (switched on here) for an H.264 camera, and an H.264 one for an H.265 camera, which a browser without H.265 plays instead.
/// </summary>
public sealed class TranscodedRenditionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _media = new("footage-renditions");
    private FootageServer _server = null!;
    private Guid _avc;
    private Guid _hevc;
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
        _file = await TestMedia.MakeTsAsync(Path.Combine(_media.Path, "clip.ts"), 6);
        _avc = await RegisterAsync(_file);
        _hevc = await RegisterAsync(await TestMedia.MakeTsAsync(Path.Combine(_media.Path, "hevc.ts"), 6, hevc: true));
    }

    private async Task<Guid> RegisterAsync(string file)
    {
        var camera = Guid.NewGuid();
        var bytes = await File.ReadAllBytesAsync(file);
        var key = ObjectKeys.ForSegment(camera, T0);
        await _server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, key, new MemoryStream(bytes), null, CancellationToken.None);
        (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = camera,
            start_time = T0,
            end_time = T0.AddSeconds(await TestMedia.ProbeDurationAsync(file)),
            size_bytes = bytes.Length,
            storage_path = key,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            keyframes = await TestMedia.KeyframesAsync(file),
        })).EnsureSuccessStatusCode();
        return camera;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _media.Dispose();
    }

    private static string Range => $"from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddSeconds(6).ToString("O"))}";

    [Fact]
    public async Task The_master_playlist_offers_a_lower_rendition_that_decodes_at_the_lower_size_and_bitrate()
    {
        var master = await _server.Admin.GetStringAsync($"api/v1/playback/{_avc}/master.m3u8?{Range}");
        Assert.Matches("CODECS=\"avc1\\.[0-9a-f]{6}\",NAME=\"original\"", master);
        Assert.Contains("CODECS=\"avc1.640028\",NAME=\"low\"", master, StringComparison.Ordinal);
        Assert.DoesNotContain("NAME=\"h264\"", master, StringComparison.Ordinal);
        var variants = master.Split('\n').Where(l => l.StartsWith("hls?", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, variants.Length);
        Assert.EndsWith("&rendition=low", variants[1], StringComparison.Ordinal);

        var low = await _server.Admin.GetStringAsync($"api/v1/playback/{_avc}/{variants[1]}");
        Assert.DoesNotContain("#EXT-X-BYTERANGE", low, StringComparison.Ordinal);
        var links = low.Split('\n').Where(l => l.StartsWith("m/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, links.Length);
        Assert.All(links, l => Assert.EndsWith("_low.ts", l, StringComparison.Ordinal));

        // every chunk of the lower rendition is 90 lines high and smaller than the original's bytes; the playlist decodes cleanly
        var anonymous = _server.CreateClient();
        long lowBytes = 0;
        for (var i = 0; i < links.Length; i++)
        {
            var chunk = await SaveAsync(anonymous, _avc, links[i], $"low{i}.ts");
            lowBytes += new FileInfo(chunk).Length;
            Assert.Equal(["90"], await HeightsAsync(chunk));
        }

        Assert.True(lowBytes < new FileInfo(_file).Length / 2, $"{lowBytes} bytes in the low rendition, {new FileInfo(_file).Length} in the original");
        Assert.Equal(string.Empty, await DecodeErrorsAsync(_avc, low, "low.m3u8"));

        // a cached chunk is served again without ffmpeg; a chunk that is not whole groups of pictures, or a link without its
        // folder's token, is refused
        var again = await anonymous.GetByteArrayAsync($"api/v1/playback/{_avc}/{links[0]}");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_media.Path, "low0.ts")), again);
        var name = links[0].Split('/')[2];
        var parts = name.Split('_');
        await (await anonymous.GetAsync($"api/v1/playback/{_avc}/{links[0].Replace(name, $"{parts[0]}_{long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) + 188}_{parts[2]}_low.ts", StringComparison.Ordinal)}"))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/v1/playback/{_avc}/m/none/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _server.Admin.GetAsync($"api/v1/playback/{_avc}/hls?{Range}&rendition=tiny")).StatusCode);
    }

    [Fact]
    public async Task An_h265_camera_is_offered_with_an_h264_rendition_at_its_own_size_made_on_demand()
    {
        var master = await _server.Admin.GetStringAsync($"api/v1/playback/{_hevc}/master.m3u8?{Range}");
        Assert.Matches("CODECS=\"hvc1\\.1\\.6\\.L[0-9]+[^\"]*\",NAME=\"original\"", master);
        Assert.Contains("CODECS=\"avc1.640028\",NAME=\"h264\"", master, StringComparison.Ordinal);
        var h264 = master.Split('\n').Single(l => l.EndsWith("&rendition=h264", StringComparison.Ordinal));

        var playlist = await _server.Admin.GetStringAsync($"api/v1/playback/{_hevc}/{h264}");
        var links = playlist.Split('\n').Where(l => l.StartsWith("m/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, links.Length);
        var chunk = await SaveAsync(_server.CreateClient(), _hevc, links[0], "h264.ts");
        var probe = await Cli.Wrap("ffprobe").WithArguments(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,height", "-of", "csv=p=0", chunk])
            .ExecuteBufferedAsync();
        Assert.Contains("h264,180", probe.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await DecodeErrorsAsync(_hevc, playlist, "h264.m3u8"));
    }

    private async Task<string> SaveAsync(HttpClient client, Guid camera, string link, string name)
    {
        var path = Path.Combine(_media.Path, name);
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync($"api/v1/playback/{camera}/{link}"));
        return path;
    }

    /// <summary>The video heights ffprobe sees (it lists the stream once more under its MPEG-TS program).</summary>
    private static async Task<string[]> HeightsAsync(string chunk)
    {
        var probe = await Cli.Wrap("ffprobe").WithArguments(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=height", "-of", "csv=p=0", chunk]).ExecuteBufferedAsync();
        return probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
    }

    /// <summary>ffmpeg decodes a rendition's playlist, its links made absolute (they need no key).</summary>
    private async Task<string> DecodeErrorsAsync(Guid camera, string playlist, string name)
    {
        var path = Path.Combine(_media.Path, name);
        var baseUri = new Uri(_server.BaseAddress, $"api/v1/playback/{camera}/");
        await File.WriteAllLinesAsync(path, playlist.Split('\n').Select(l => l.StartsWith("m/", StringComparison.Ordinal) ? new Uri(baseUri, l).ToString() : l));
        var decode = await Cli.Wrap("ffmpeg").WithArguments(["-hide_banner", "-nostdin", "-v", "error", "-protocol_whitelist", "file,http,tcp", "-i", path, "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        return (decode.StandardError + (decode.ExitCode != 0 ? $" (exit {decode.ExitCode})" : string.Empty)).Trim();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Footage.Testing;
using Xunit;

namespace Footage.EndToEnd;

/// <summary>
/// The players people use, on the live edge of a shared link (no header), while the recorder closes a 4 s file after another and
/// the camera goes away for a few seconds: ffmpeg and GStreamer's hlsdemux play it in real time without an error, and every
/// refresh of the playlist lists each chunk it listed before exactly as before (what hls.js and Safari check).
/// </summary>
public sealed class LivePlayersTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private CameraSimulator _camera = null!;
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _camera = await CameraSimulator.StartAsync();
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Footage:Recording:SegmentSeconds"] = "4",
            ["Footage:Recording:StallTimeout"] = "00:00:03",
            ["Footage:Recording:StartTimeout"] = "00:00:15",
            ["Footage:Recording:RestartBackoffMin"] = "00:00:00.5",
            ["Footage:Recording:RestartBackoffMax"] = "00:00:01",
            ["Footage:Recording:UploadBackoffMax"] = "00:00:01",
            ["Footage:Recording:PollInterval"] = "00:00:00.2",
            ["Footage:Recording:MinFreeSpoolBytes"] = "0",
            ["Footage:Recording:FlushEveryPacket"] = "true",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _camera.DisposeAsync();
    }

    [Fact]
    public async Task Ffmpeg_and_GStreamer_play_a_live_link_across_rotations_and_a_camera_outage_while_every_chunk_keeps_its_place()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = _server.Admin;
        var created = await (await admin.PostAsJsonAsync("api/v1/cameras", new { name = "live players", source = "live", rtsp_url = _camera.Url(1), storage_mode = "LOCAL" }, ct))
            .AssertJsonAsync(HttpStatusCode.Created);
        var camera = created.GetProperty("id").GetGuid();
        await (await admin.PostAsync($"api/v1/recording/start/{camera}", null, ct)).AssertJsonAsync(HttpStatusCode.Accepted);
        var link = await (await admin.PostAsJsonAsync($"api/v1/playback/{camera}/links", new { lifetime = "PT1H" }, ct)).AssertJsonAsync(HttpStatusCode.Created);
        var url = link.GetProperty("url").GetString()!;
        var anonymous = _server.CreateClient();
        await UntilAsync(async () => (await anonymous.GetAsync(url, ct)).IsSuccessStatusCode, "the live link plays");

        // a player's refreshes, all along: what was listed stays listed the same way
        var watcher = new LivePlaylistWatcher();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watch = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var response = await anonymous.GetAsync(url, CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    watcher.Observe(await response.Content.ReadAsStringAsync(CancellationToken.None));
                }

                await Task.Delay(300, CancellationToken.None);
            }
        }, CancellationToken.None);

        // 30 s of real time: seven rotations
        var before = await SegmentCountAsync(camera);
        var (ffmpeg, gstreamer) = (FfmpegFramesAsync(url, 30, ct), GStreamerFramesAsync(url, TimeSpan.FromSeconds(32), ct));
        var (ffmpegFrames, ffmpegErrors) = await ffmpeg;
        var (gstFrames, gstErrors) = await gstreamer;
        var rotations = await SegmentCountAsync(camera) - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"{rotations} files closed and catalogued; ffmpeg decoded {ffmpegFrames} frames, GStreamer's hlsdemux played {gstFrames} in real time");
        Assert.True(rotations >= 3, $"only {rotations} rotations while the players played");
        Assert.Equal(string.Empty, ffmpegErrors);
        Assert.True(ffmpegFrames >= (30 * 25) - 5, $"ffmpeg decoded {ffmpegFrames} frames of 30 s");
        Assert.Equal(string.Empty, gstErrors);
        Assert.True(gstFrames >= 20 * 25, $"GStreamer's hlsdemux played {gstFrames} frames in 32 s");

        // the camera goes away for 6 s and comes back: the recorder starts a new run, the playlist goes on after a discontinuity
        var chunksBefore = watcher.Seen.Count;
        _camera.Stop();
        await Task.Delay(TimeSpan.FromSeconds(6), ct);
        await _camera.StartAsync();
        await UntilAsync(() => Task.FromResult(watcher.Seen.Values.Any(c => c.Start > DateTimeOffset.UtcNow.AddSeconds(-4)) && watcher.Seen.Count > chunksBefore + 2),
            "the live playlist goes on after the camera came back");
        var (afterFrames, afterErrors) = await FfmpegFramesAsync(url, 8, ct);
        Assert.Equal(string.Empty, afterErrors);
        Assert.True(afterFrames >= (8 * 25) - 5, $"ffmpeg decoded {afterFrames} frames of 8 s after the outage");

        await watching.CancelAsync();
        await watch;
        TestContext.Current.TestOutputHelper?.WriteLine($"{watcher.Refreshes} refreshes, {watcher.Seen.Count} chunks listed");
        Assert.True(watcher.Violations.Count == 0, string.Join('\n', watcher.Violations.Take(5)));
        var discontinuities = watcher.Seen.Values.Select(c => c.Discontinuity).Distinct().Count();
        Assert.True(discontinuities >= rotations, $"{discontinuities} discontinuity numbers for {rotations} rotations and an outage");
    }

    private async Task<int> SegmentCountAsync(Guid camera) =>
        (await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{camera}?limit=1000")).GetProperty("items").GetArrayLength();

    /// <summary>ffmpeg reads <paramref name="seconds"/> of the live link (no header) and decodes every frame.</summary>
    private static async Task<(int Frames, string Errors)> FfmpegFramesAsync(string url, int seconds, CancellationToken ct)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-v", "error", "-i", url, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "framemd5", "-"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct);
        var frames = result.StandardOutput.Split('\n').Count(l => l.Length > 0 && char.IsAsciiDigit(l[0]));
        return (frames, (result.StandardError + (result.ExitCode != 0 ? $" (exit {result.ExitCode})" : string.Empty)).Trim());
    }

    /// <summary>GStreamer's hlsdemux plays the live link in real time (a synchronised sink) for <paramref name="duration"/>; the frames it showed.</summary>
    private static async Task<(int Frames, string Errors)> GStreamerFramesAsync(string url, TimeSpan duration, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(duration);
        var output = new System.Text.StringBuilder();
        try
        {
            await Cli.Wrap("gst-launch-1.0")
                .WithArguments(["-v", "souphttpsrc", $"location={url}", "!", "hlsdemux", "!", "tsdemux", "!", "h264parse", "!", "decodebin", "!",
                    "fakesink", "sync=true", "silent=false"])
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(CancellationToken.None, stop.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // stopped gracefully at the end of the duration (SIGINT), as a person closes a player
        }

        var text = output.ToString();
        var frames = text.Split('\n').Count(l => l.Contains("last-message = chain", StringComparison.Ordinal));
        var errors = string.Join('\n', text.Split('\n').Where(l => l.StartsWith("ERROR", StringComparison.Ordinal) || l.Contains("WARNING: from element", StringComparison.Ordinal)));
        return (frames, errors);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(250);
        }
    }
}

using System.Globalization;
using System.Net;
using CliWrap;
using CliWrap.Buffered;
using Footage.Testing;
using Xunit;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// What a viewer gets of a recorded range through the product: the HLS playlist as ffmpeg plays it and the MP4 download,
/// each decoded whole by ffmpeg (errors collected), with the streams ffprobe finds in them and where each stream starts.
/// </summary>
public sealed record PlayedBack(string HlsErrors, string[] HlsStreams, string DownloadErrors, string[] DownloadStreams, string DownloadFile, string HlsUrl)
{
    public static readonly string[] PlayerOptions = ["-headers", $"X-Api-Key: {FootageServer.AdminKey}\r\n", "-protocol_whitelist", "http,tcp,file,crypto"];

    public static async Task<PlayedBack> RangeAsync(FootageServer server, Guid camera, DateTimeOffset from, DateTimeOffset to)
    {
        var hls = new Uri(server.BaseAddress, $"api/v1/playback/{camera}/hls?from={Iso(from)}&to={Iso(to)}").ToString();
        var hlsErrors = await DecodeErrorsAsync(hls, PlayerOptions);
        var hlsStreams = await StreamsAsync(hls, PlayerOptions);

        var download = await server.Admin.GetAsync($"api/v1/playback/download?camera_id={camera}&from={Iso(from)}&to={Iso(to)}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var mp4 = Path.Combine(server.DataDirectory, $"download-{camera:N}-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(mp4, await download.Content.ReadAsByteArrayAsync());
        return new PlayedBack(hlsErrors, hlsStreams, await DecodeErrorsAsync(mp4), await StreamsAsync(mp4), mp4, hls);
    }

    /// <summary>Both played and downloaded without a decoding error, with these streams ("video h264", "audio aac").</summary>
    public void AssertClean(params string[] streams)
    {
        Assert.True(HlsErrors.Length == 0, "HLS: " + HlsErrors);
        Assert.True(DownloadErrors.Length == 0, "download: " + DownloadErrors);
        Assert.Equal(streams, HlsStreams);
        Assert.Equal(streams, DownloadStreams);
    }

    /// <summary>
    /// Every decoding error of the whole input (and ffmpeg's exit code when not 0); empty when it decodes cleanly. The frames keep
    /// their own times (<c>-fps_mode vfr</c>) and the sound is counted in samples: the null output would otherwise report as its
    /// own errors the frames of one instant at a camera's start (see docs/recording.md, "RTCP at the start of a session").
    /// </summary>
    public static async Task<string> DecodeErrorsAsync(string input, params string[] inputOptions)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-v", "error", .. inputOptions, "-i", input, "-fps_mode", "vfr", "-af", "asetpts=N/SR/TB", "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return (result.StandardError + (result.ExitCode != 0 ? $" (exit {result.ExitCode})" : string.Empty)).Trim();
    }

    /// <summary>The input's streams as "type codec", in order, each once.</summary>
    public static async Task<string[]> StreamsAsync(string input, params string[] inputOptions) =>
        (await ProbeAsync([.. inputOptions, "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0", input]))
            .Select(line => line.Split(',')).Select(f => $"{f[1]} {f[0]}").Distinct().ToArray();

    /// <summary>Where the first video and the first audio stream start (ffprobe's start_time, seconds); null for a stream that is not there.</summary>
    public static async Task<(double? Video, double? Audio)> StartTimesAsync(string input, params string[] inputOptions)
    {
        var lines = await ProbeAsync([.. inputOptions, "-show_entries", "stream=codec_type,start_time", "-of", "csv=p=0", input]);
        double? Of(string type) => lines.Select(l => l.Split(',')).Where(f => f[0] == type && f[1] != "N/A")
            .Select(f => (double?)double.Parse(f[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        return (Of("video"), Of("audio"));
    }

    /// <summary>The loudest sample of the sound (dBFS, ffmpeg's volumedetect): silence is -91, a tone near 0.</summary>
    public static async Task<double> LoudestAudioAsync(string input)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-hide_banner", "-nostdin", "-i", input, "-map", "0:a:0", "-af", "volumedetect", "-f", "null", "-"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var line = result.StandardError.Split('\n').FirstOrDefault(l => l.Contains("max_volume:", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException("no sound measured: " + result.StandardError);
        var value = line[(line.IndexOf("max_volume:", StringComparison.Ordinal) + "max_volume:".Length)..].Replace("dB", string.Empty, StringComparison.Ordinal).Trim();
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The video packets (frames) of a file.</summary>
    public static async Task<int> VideoFramesAsync(string input) =>
        int.Parse((await ProbeAsync(["-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", input]))[0],
            CultureInfo.InvariantCulture);

    /// <summary>ffprobe's output lines for these arguments (after -hide_banner -v error); throws when it fails.</summary>
    public static async Task<string[]> ProbeAsync(string[] arguments)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-hide_banner", "-v", "error", .. arguments])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffprobe failed ({result.ExitCode}): {result.StandardError}");
        }

        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
}

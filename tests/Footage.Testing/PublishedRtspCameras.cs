using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Footage.Testing;

/// <summary>
/// Cameras on an RTSP server that is not GStreamer's: rtsp-streaming-server (Node.js, tests/tools/rtsp-server), each path
/// published by ffmpeg's own RTSP output (<c>-f rtsp</c>: libavformat's RTP packetizers, not GStreamer's payloaders) from its
/// test picture and tone. Readers get <c>rtsp://127.0.0.1:{port}/cam1..camN</c> with RTP over UDP only (the server refuses
/// interleaved TCP), so the recorder's camera must be set to <c>rtsp_transport: udp</c>.
/// </summary>
public sealed class PublishedRtspCameras : IAsyncDisposable
{
    private static readonly SemaphoreSlim Install = new(1, 1);
    private readonly List<Process> _processes = [];
    private readonly StringBuilder _errors = new();
    private readonly int _publishPort = FreePort.Next();

    private PublishedRtspCameras()
    {
        Port = FreePort.Next();
    }

    public int Port { get; }

    public string Url(int number) => $"rtsp://127.0.0.1:{Port}/cam{number}";

    /// <summary>Starts the server and one ffmpeg publisher per kind (codec, audio, fps, gop, bframes, width, height are used), then waits until each path describes its streams.</summary>
    public static async Task<PublishedRtspCameras> StartAsync(IReadOnlyList<CameraKind> kinds)
    {
        var cameras = new PublishedRtspCameras();
        try
        {
            await cameras.StartServerAsync(kinds.Count);
            for (var n = 1; n <= kinds.Count; n++)
            {
                cameras.Start("ffmpeg", PublisherArguments(kinds[n - 1], $"rtsp://127.0.0.1:{cameras._publishPort}/cam{n}"), null);
            }

            for (var n = 1; n <= kinds.Count; n++)
            {
                await cameras.WaitUntilDescribedAsync(n);
            }
        }
        catch
        {
            await cameras.DisposeAsync();
            throw;
        }

        return cameras;
    }

    /// <summary>ffmpeg's test picture (and a tone) encoded as the kind says and sent to the server with ANNOUNCE and RECORD, in real time.</summary>
    public static IReadOnlyList<string> PublisherArguments(CameraKind kind, string publishUrl)
    {
        var fps = kind.Fps ?? "25";
        var rate = fps == "12.5" ? "25/2" : fps;
        var gop = (int)Math.Round((kind.GopSeconds ?? 1) * double.Parse(fps, CultureInfo.InvariantCulture));
        var size = $"{kind.Width ?? 320}x{kind.Height ?? 180}";
        var bitrate = $"{kind.BitrateKbps ?? 300}k";
        string[] video = kind.Codec == "h265"
            ? ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", $"keyint={gop}:min-keyint={gop}:scenecut=0:bframes={kind.BFrames ?? 0}:log-level=error"]
            : ["-c:v", "libx264", "-preset", "veryfast", "-bf", (kind.BFrames ?? 0).ToString(CultureInfo.InvariantCulture), "-g", gop.ToString(CultureInfo.InvariantCulture),
                "-keyint_min", gop.ToString(CultureInfo.InvariantCulture), "-sc_threshold", "0"];
        var audio = kind.Audio ?? "none";
        string[] sound = audio switch
        {
            "none" => [],
            "aac" => ["-c:a", "aac", "-b:a", "32k"],
            "pcmu" => ["-c:a", "pcm_mulaw"],
            "pcma" => ["-c:a", "pcm_alaw"],
            _ => throw new ArgumentException($"unknown audio '{audio}'", nameof(kind)),
        };
        return
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate={rate}",
            .. audio == "none" ? (string[])[] : ["-f", "lavfi", "-i", $"sine=frequency=440:beep_factor=4:sample_rate={(audio == "aac" ? 16000 : 8000)}"],
            .. video, "-b:v", bitrate, "-pix_fmt", "yuv420p", .. sound,
            "-f", "rtsp", "-rtsp_transport", "udp", publishUrl,
        ];
    }

    private async Task StartServerAsync(int cameras)
    {
        var folder = Path.Combine(RepositoryPaths.TestTools, "rtsp-server");
        await InstallAsync(folder);
        // two UDP ports for each published path and each reader; readers come and go (probes, restarts), ports go back to the pool
        var rtpPorts = FreeUdpRange(8 * cameras + 16);
        Start("node",
        [
            Path.Combine(folder, "server.js"), "--publish-port", _publishPort.ToString(CultureInfo.InvariantCulture), "--client-port", Port.ToString(CultureInfo.InvariantCulture),
            "--rtp-port-start", rtpPorts.Start.ToString(CultureInfo.InvariantCulture), "--rtp-port-count", rtpPorts.Count.ToString(CultureInfo.InvariantCulture),
        ], folder);
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(30), Errors);
        await FreePort.WaitUntilListeningAsync(_publishPort, TimeSpan.FromSeconds(30), Errors);
    }

    /// <summary>The server's npm package, installed from its lock file when a test runs before eng/test.sh installed it.</summary>
    private static async Task InstallAsync(string folder)
    {
        await Install.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(folder, "node_modules", "rtsp-streaming-server")))
            {
                return;
            }

            var result = await Cli.Wrap("npm").WithArguments(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).WithWorkingDirectory(folder)
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("npm ci of tests/tools/rtsp-server failed: " + result.StandardError);
            }
        }
        finally
        {
            Install.Release();
        }
    }

    /// <summary>An even first port of <paramref name="count"/> UDP ports on 127.0.0.1 that are all free now, below the ephemeral range.</summary>
    private static (int Start, int Count) FreeUdpRange(int count)
    {
        count += count % 2;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var start = 20_000 + (Random.Shared.Next(0, 12_000 / 2) * 2);
            var sockets = new List<Socket>();
            try
            {
                for (var port = start; port < start + count; port++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    sockets.Add(socket);
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }

                return (start, count);
            }
            catch (SocketException)
            {
                // in use: another range
            }
            finally
            {
                sockets.ForEach(s => s.Dispose());
            }
        }

        throw new InvalidOperationException($"no {count} free UDP ports found for the RTSP server");
    }

    private async Task WaitUntilDescribedAsync(int number)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var probe = await Cli.Wrap("ffprobe")
                .WithArguments(["-v", "error", "-rtsp_transport", "udp", "-timeout", "3000000", "-show_entries", "stream=codec_type", "-of", "csv=p=0", Url(number)])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            if (probe.ExitCode == 0 && probe.StandardOutput.Contains("video", StringComparison.Ordinal))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"camera {number} of the published RTSP server was not described: {probe.StandardError} {Errors()}");
            }

            await Task.Delay(500);
        }
    }

    private void Start(string program, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        _processes.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private string Errors()
    {
        lock (_errors)
        {
            return "published RTSP cameras: " + _errors;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // the publishers first, so that the server does not outlive them with a reader waiting
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await process.WaitForExitAsync(exited.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            process.Dispose();
        }

        _processes.Clear();
    }
}

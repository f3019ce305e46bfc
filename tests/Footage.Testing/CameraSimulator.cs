using System.Diagnostics;
using System.Globalization;

namespace Footage.Testing;

/// <summary>
/// Real RTSP cameras: GStreamer's RTSP server (tests/tools/camera-simulator.py, run by the system's python3)
/// serving <c>rtsp://127.0.0.1:{port}/cam1..camN</c>: by default live H.264 with a key frame every second, or one
/// <see cref="CameraKind"/> per path; with digest authentication and one transport only when asked. Stop it for a
/// camera outage and start it again on the same port for the camera's return.
/// </summary>
public sealed class CameraSimulator : IAsyncDisposable
{
    private readonly int _cameras;
    private readonly int _bitrateKbps;
    private readonly int _width;
    private readonly int _height;
    private readonly string? _clip;
    private readonly IReadOnlyList<CameraKind> _kinds;
    private readonly (string User, string Password)? _credentials;
    private readonly string _protocols;
    private Process? _process;

    private CameraSimulator(int cameras, int width, int height, int bitrateKbps, string? clip,
        IReadOnlyList<CameraKind>? kinds = null, (string User, string Password)? credentials = null, string protocols = "all")
    {
        _clip = clip;
        _cameras = cameras;
        _width = width;
        _height = height;
        _bitrateKbps = bitrateKbps;
        _kinds = kinds ?? [];
        _credentials = credentials;
        _protocols = protocols;
        Port = FreePort.Next();
    }

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The RTSP URL of camera <paramref name="number"/> (1-based).</summary>
    public string Url(int number) => $"rtsp://127.0.0.1:{Port}/cam{number}";

    /// <summary>The URL of camera <paramref name="number"/> with the simulator's user and password in it.</summary>
    public string UrlWithCredentials(int number) =>
        _credentials is var (user, password) ? $"rtsp://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{Port}/cam{number}" : Url(number);

    /// <summary>One camera of each kind, cam1 being the first.</summary>
    /// <param name="credentials">Every path asks for RTSP digest authentication with this user and password.</param>
    /// <param name="protocols"><c>all</c>, or <c>tcp</c> or <c>udp</c> for a server that offers only that transport.</param>
    public static async Task<CameraSimulator> StartAsync(IReadOnlyList<CameraKind> kinds, (string User, string Password)? credentials = null, string protocols = "all")
    {
        var simulator = new CameraSimulator(kinds.Count, 320, 180, 300, null, kinds, credentials, protocols);
        await simulator.StartAsync();
        return simulator;
    }

    /// <param name="clip">An H.264 MPEG-TS file every camera serves in real time instead of encoding a test picture (cheap, for load tests).</param>
    public static async Task<CameraSimulator> StartAsync(int cameras = 1, int width = 320, int height = 180, int bitrateKbps = 300, string? clip = null)
    {
        var simulator = new CameraSimulator(cameras, width, height, bitrateKbps, clip);
        await simulator.StartAsync();
        return simulator;
    }

    public async Task StartAsync()
    {
        var script = Path.Combine(RepositoryPaths.TestTools, "camera-simulator.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     script, "--port", Port.ToString(CultureInfo.InvariantCulture), "--cameras", _cameras.ToString(CultureInfo.InvariantCulture),
                     "--width", _width.ToString(CultureInfo.InvariantCulture), "--height", _height.ToString(CultureInfo.InvariantCulture),
                     "--bitrate", _bitrateKbps.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        if (_clip is not null)
        {
            start.ArgumentList.Add("--clip");
            start.ArgumentList.Add(_clip);
        }

        foreach (var kind in _kinds)
        {
            start.ArgumentList.Add("--camera");
            start.ArgumentList.Add(kind.ToJson());
        }

        if (_credentials is var (user, password))
        {
            start.ArgumentList.Add("--user");
            start.ArgumentList.Add(user);
            start.ArgumentList.Add("--password");
            start.ArgumentList.Add(password);
        }

        start.ArgumentList.Add("--protocols");
        start.ArgumentList.Add(_protocols);

        var errors = new System.Text.StringBuilder();
        _process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(30), () =>
        {
            lock (errors)
            {
                return "camera simulator: " + errors;
            }
        });
    }

    /// <summary>All cameras vanish at once (the RTSP server is gone) until <see cref="StartAsync"/>.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}

using System.Diagnostics;
using Xunit;

namespace Footage.Testing;

/// <summary>
/// A real S3-compatible server (s3rver, from the test tools' npm packages) on a free port of 127.0.0.1,
/// path-style, credentials S3RVER/S3RVER. It does not check signatures, so no auth tests run against it.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    private readonly TempFolder _folder = new("footage-s3");
    private Process? _process;

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    public async ValueTask InitializeAsync()
    {
        Port = FreePort.Next();
        await StartAsync();
    }

    /// <summary>Stops the server (an object-storage outage) until <see cref="StartAsync"/>; the data stays.</summary>
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

    public async Task StartAsync()
    {
        var script = Path.Combine(RepositoryPaths.TestTools, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed at {script}; the test command runs 'npm ci' in tests/tools.");
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, "-d", _folder.Path, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}

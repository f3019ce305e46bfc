using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using CliWrap;

namespace Footage.Testing;

/// <summary>
/// The built server (<c>dotnet Footage.Server.dll</c>, as the container image runs it) as an OS process of its own on a
/// free port of 127.0.0.1, with its own data folder: for split mode and scale-out, where each module or recorder is a
/// process that can be killed. Output is kept for the failure message.
/// </summary>
public sealed class FootageProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TempFolder? _ownData;

    private FootageProcess(string name, Process process, int port, string dataDirectory, TempFolder? ownData)
    {
        Name = name;
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
        _ownData = ownData;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Admin = CreateClient(FootageServer.AdminKey);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public HttpClient Admin { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The server dll of the same build (Release or Debug) as the tests.</summary>
    public static string ServerDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var dll = Path.Combine(RepositoryPaths.Root, "src", "Footage.Server", "bin", configuration, "net10.0", "Footage.Server.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is not built: dotnet build Footage.slnx -c {configuration}");
        }
    }

    /// <param name="name">For messages (e.g. "storage", "recorder-2").</param>
    /// <param name="settings">Configuration as command-line switches; null values are left out.</param>
    /// <param name="dataDirectory">A data folder to reuse (a recorder restarted on its own spool); by default a new one, deleted at the end.</param>
    /// <param name="port">A port to reuse (a restarted process); by default a free one.</param>
    /// <param name="environment">Environment variables added to the process's (and so its ffmpeg children's).</param>
    public static async Task<FootageProcess> StartAsync(
        string name, IDictionary<string, string?> settings, string? dataDirectory = null, int? port = null, IDictionary<string, string>? environment = null)
    {
        var ownData = dataDirectory is null ? new TempFolder("footage-process") : null;
        var data = dataDirectory ?? ownData!.Path;
        var listen = port ?? FreePort.Next();
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["urls"] = $"http://127.0.0.1:{listen.ToString(CultureInfo.InvariantCulture)}",
            ["Footage:DataDirectory"] = data,
            ["Footage:Auth:AdminApiKey"] = FootageServer.AdminKey,
            ["Footage:Storage:Retention:Enabled"] = "false",
            ["Footage:Recording:DemoCamera:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Footage.Recording.Leases"] = "Information",
            ["Logging:Console:FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = data };
        start.ArgumentList.Add(ServerDll);
        foreach (var (key, value) in all.Where(kv => kv.Value is not null))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new FootageProcess(name, process, listen, data, ownData);
        try
        {
            await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>The last lines the process wrote (logs), for assertion messages.</summary>
    public string OutputTail(int lines = 40)
    {
        lock (_output)
        {
            return $"[{Name}] " + string.Join('\n', _output.TakeLast(lines));
        }
    }

    /// <summary>SIGKILL, with its ffmpeg children: a crash or a lost machine, nothing closed and nothing given back.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// SIGKILL of the server process alone, as the kernel's OOM killer or a crash ends it: its ffmpeg children are not
    /// signalled and live on as orphans until they notice (or the next start stops them).
    /// </summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public int ProcessId => _process.Id;

    /// <summary>SIGTERM, as a container stop sends it: the host stops gracefully (then SIGKILL after <paramref name="patience"/>).</summary>
    public async Task StopAsync(TimeSpan? patience = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        await Cli.Wrap("kill").WithArguments(["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])
            .WithValidation(CommandResultValidation.None).ExecuteAsync();
        using var timeout = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(45));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        Admin.Dispose();
        _process.Dispose();
        _ownData?.Dispose();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = CreateClient();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting:\n{OutputTail()}");
            }

            try
            {
                using var response = await client.GetAsync("health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} was not healthy within {timeout}:\n{OutputTail()}");
            }

            await Task.Delay(250);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 400)
            {
                _output.RemoveRange(0, 100);
            }
        }
    }
}

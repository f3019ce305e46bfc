using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;

namespace Footage.Bench.Recording;

/// <summary>The product's server from the build, recording into its own data folder with the given segment length and settings.</summary>
public sealed class RecorderServer : IAsyncDisposable
{
    private RecorderServer(Process process, HttpClient http)
    {
        Process = process;
        Http = http;
    }

    public Process Process { get; }

    /// <summary>Speaks to the server as its admin.</summary>
    public HttpClient Http { get; }

    public static async Task<RecorderServer> StartAsync(string dataFolder, int segmentSeconds, IEnumerable<string> variant)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // as the image and eng/run.sh run it (docs/operations.md, "Sizing"), unless the caller's environment says otherwise
        start.Environment["DOTNET_GCgen0size"] = Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "0x2000000";
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Footage.Server.dll"));
        string[] settings =
        [
            $"--urls=http://127.0.0.1:{port}", $"--Footage:DataDirectory={dataFolder}", $"--Footage:Auth:AdminApiKey={FootageServer.AdminKey}",
            "--Footage:Recording:DemoCamera:Enabled=false", $"--Footage:Recording:SegmentSeconds={segmentSeconds}", "--Footage:Recording:MinFreeSpoolBytes=0",
            "--Footage:Storage:Retention:Enabled=false", "--Logging:LogLevel:Default=Warning", .. variant,
        ];
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Add("X-Api-Key", FootageServer.AdminKey);
        var server = new RecorderServer(process, http);
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Adds a camera of this URL and starts recording it; returns its id.</summary>
    public async Task<Guid> RecordAsync(string name, string url)
    {
        var created = await Http.PostAsJsonAsync("api/v1/cameras", new { name, source = "bench", rtsp_url = url });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await Http.PostAsync($"api/v1/recording/start/{id}", null)).EnsureSuccessStatusCode();
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
        Process.Dispose();
    }
}

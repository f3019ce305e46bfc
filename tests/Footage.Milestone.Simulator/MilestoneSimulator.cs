using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Footage.Milestone.Simulator;

/// <summary>
/// A simulated Milestone XProtect (management server and one recording server in one process) speaking the subset
/// of Milestone's protocols the adapter uses, on one port of 127.0.0.1 like a real recorder: HTTP (identity provider,
/// SOAP services) and the ImageServer's raw TCP protocol share it; the first bytes of a connection tell them apart.
/// Usable in-process by tests (<see cref="StartAsync"/>) and on its own for demos (<c>dotnet run</c>).
/// </summary>
public sealed class MilestoneSimulator : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private WebApplication? _app;

    private MilestoneSimulator(string username, string password, CameraRecordings recordings, TimeProvider clock)
    {
        Username = username;
        Password = password;
        Recordings = recordings;
        Clock = clock;
        Tokens = new SessionTokens(clock);
    }

    public string Username { get; }

    public string Password { get; }

    public TimeProvider Clock { get; }

    public SessionTokens Tokens { get; }

    public SimulatorFaults Faults { get; } = new();

    public CameraRecordings Recordings { get; }

    public Guid ServerId { get; } = Guid.NewGuid();

    public Guid RecorderId { get; } = Guid.NewGuid();

    /// <summary>http://127.0.0.1:{port}/ — the management server and the recorder's WebServerUri alike.</summary>
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>How many times each request (SOAP method, ImageServer method, fault) was received or fired.</summary>
    public int CountOf(string name) => _counts.TryGetValue(name, out var n) ? n : 0;

    internal void Count(string name) => _counts.AddOrUpdate(name, 1, (_, n) => n + 1);

    /// <summary>Clips longer than this are not encoded: longer recordings repeat the clip (whole GOPs, so key frames stay a second apart).</summary>
    public static readonly TimeSpan LongestClip = TimeSpan.FromSeconds(60);

    public static async Task<MilestoneSimulator> StartAsync(
        IReadOnlyList<SimulatedCamera> cameras, string username = "operator", string password = "secret", TimeProvider? clock = null, int port = 0, string size = "320x180", CancellationToken cancellationToken = default)
    {
        var clips = new Dictionary<ClipFormat, RecordedClip>();
        foreach (var format in cameras.Select(c => c.Format).Append(ClipFormat.H264).Distinct())
        {
            var longest = cameras.Where(c => c.Format == format).SelectMany(c => c.Sequences).Select(s => s.Seconds).DefaultIfEmpty(1).Max();
            clips[format] = await RecordedClip.EncodeAsync(Math.Min(longest, LongestClip.TotalSeconds), format, size, cancellationToken);
        }

        var simulator = new MilestoneSimulator(username, password, new CameraRecordings(cameras, clips), clock ?? TimeProvider.System);
        await simulator.RunAsync(port, cancellationToken);
        return simulator;
    }

    private async Task RunAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Use(next => async connection =>
        {
            // the ImageServer protocol starts with "<?xml" or "<methodcall"; HTTP with a method name
            var input = connection.Transport.Input;
            while (true)
            {
                var result = await input.ReadAsync(connection.ConnectionClosed);
                var buffer = result.Buffer;
                if (buffer.Length >= 1 || result.IsCompleted)
                {
                    var imageServer = buffer.Length >= 1 && buffer.FirstSpan[0] == (byte)'<';
                    input.AdvanceTo(buffer.Start);
                    if (imageServer)
                    {
                        using var session = new ImageServerSession(connection.Transport, this);
                        await session.RunAsync(connection.ConnectionClosed);
                    }
                    else
                    {
                        await next(connection);
                    }

                    return;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        })));
        var app = builder.Build();
        SoapEndpoints.Map(app, this);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Footage.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Footage.Recording.Tests.Vms;

/// <summary>
/// A test double of the VMS Service and Stream Counter, which we do not have: a real Kestrel server on a
/// free port that speaks the HTTP contract in docs/recording.md (cameras; reserve and release per source with a limit),
/// checks the API key and records every request it got.
/// </summary>
public sealed class VmsServicesDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, HashSet<Guid>> _reserved = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private VmsServicesDouble(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public const string ApiKey = "vms-test-key";

    public ConcurrentDictionary<Guid, object> Cameras { get; } = new();

    public int StreamsPerSource { get; set; } = 1;

    /// <summary>"reserve {camera}", "release {camera}", "cameras", "camera {id}", in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private int _unauthorized;

    /// <summary>Requests without the right API key.</summary>
    public int Unauthorized => Volatile.Read(ref _unauthorized);

    public IReadOnlyCollection<Guid> Holders(string source)
    {
        lock (_gate)
        {
            return _reserved.TryGetValue(source, out var holders) ? holders.ToArray() : [];
        }
    }

    public static async Task<VmsServicesDouble> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new VmsServicesDouble(app, $"http://127.0.0.1:{port}/");
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers["X-Api-Key"] != ApiKey)
            {
                Interlocked.Increment(ref fake._unauthorized);
                context.Response.StatusCode = 401;
                return;
            }

            await next(context);
        });
        app.MapGet("/api/v1/cameras", () =>
        {
            fake.Requests.Enqueue("cameras");
            return Results.Json(fake.Cameras.Values.ToArray());
        });
        app.MapGet("/api/v1/cameras/{id:guid}", (Guid id) =>
        {
            fake.Requests.Enqueue($"camera {id}");
            return fake.Cameras.TryGetValue(id, out var camera) ? Results.Json(camera) : Results.NotFound();
        });
        app.MapPost("/api/v1/streams/reserve", async (HttpRequest request) =>
        {
            var (camera, source) = await ReadAsync(request);
            fake.Requests.Enqueue($"reserve {camera}");
            lock (fake._gate)
            {
                if (!fake._reserved.TryGetValue(source, out var holders))
                {
                    holders = [];
                    fake._reserved[source] = holders;
                }

                if (!holders.Contains(camera) && holders.Count >= fake.StreamsPerSource)
                {
                    return Results.Conflict(new { reserved = false, limit = fake.StreamsPerSource });
                }

                holders.Add(camera);
                return Results.Ok(new { reserved = true });
            }
        });
        app.MapPost("/api/v1/streams/release", async (HttpRequest request) =>
        {
            var (camera, source) = await ReadAsync(request);
            fake.Requests.Enqueue($"release {camera}");
            lock (fake._gate)
            {
                if (fake._reserved.TryGetValue(source, out var holders))
                {
                    holders.Remove(camera);
                }
            }

            return Results.NoContent();
        });
        await app.StartAsync();
        return fake;
    }

    private static async Task<(Guid Camera, string Source)> ReadAsync(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        var source = body.RootElement.GetProperty("source");
        return (body.RootElement.GetProperty("camera_id").GetGuid(), source.ValueKind == JsonValueKind.String ? source.GetString()! : string.Empty);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

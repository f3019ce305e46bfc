using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;

// The camera list API at city scale: GET /api/v1/cameras with 500 cameras in 50 groups, through HTTP on a running host.
// Usage: dotnet run -c Release --project bench/Footage.Bench.Cameras [-- --cameras 500 --groups 50 --requests 200 --database postgres|sqlite]
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "", StringComparer.Ordinal);
int Option(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var cameraCount = Option("cameras", 500);
var groupCount = Option("groups", 50);
var requests = Option("requests", 200);
var kind = options.GetValueOrDefault("database", "postgres") == "sqlite" ? DatabaseKind.Sqlite : DatabaseKind.Postgres;

PostgresServer? postgres = null;
if (kind == DatabaseKind.Postgres)
{
    Console.WriteLine("Starting a temporary PostgreSQL ...");
    postgres = new PostgresServer();
    await postgres.InitializeAsync();
}

try
{
    await using var server = await FootageServer.StartAsync(kind, postgres);
    var admin = server.Admin;
    Console.WriteLine($"Creating {cameraCount} cameras and {groupCount} groups through the API ({kind}) ...");
    var random = new Random(23);
    var districts = new[] { "Harbour", "Old Town", "Airport", "Station", "Stadium", "Market", "Bridge", "Ring Road" };
    var cameras = new List<Guid>();
    for (var i = 0; i < cameraCount; i++)
    {
        var storageMode = i % 10 == 0 ? "MILESTONE" : "LOCAL";
        var response = await admin.PostAsJsonAsync("api/v1/cameras", new
        {
            name = $"{districts[i % districts.Length]} {i / districts.Length + 1:000}", source = $"district-{i % 12}",
            rtsp_url = $"rtsp://cam-user:cam-pass@10.{i / 250}.{i % 250}.10:554/stream1", storage_mode = storageMode,
        });
        response.EnsureSuccessStatusCode();
        cameras.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    var groups = new List<Guid>();
    for (var g = 0; g < groupCount; g++)
    {
        // every camera in one group by district and block, a third also in a second (a night shift, an event)
        var members = cameras.Where((_, i) => i % groupCount == g || (i % 3 == 0 && (i / 3) % groupCount == g)).ToArray();
        var response = await admin.PostAsJsonAsync("api/v1/camera-groups", new { name = $"Group {g:00}", camera_ids = members });
        response.EnsureSuccessStatusCode();
        groups.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    var key = await admin.PostAsJsonAsync("api/v1/auth/keys", new { name = "bench-limited-viewer", role = "viewer" });
    var created = await key.Content.ReadFromJsonAsync<JsonElement>();
    (await admin.PutAsJsonAsync($"api/v1/access/keys/{created.GetProperty("id").GetGuid()}", new { group_ids = groups.Take(5).ToArray() })).EnsureSuccessStatusCode();
    var limited = server.CreateClient(created.GetProperty("key").GetString());
    var viewer = await server.ClientAsync("viewer");

    var cases = new (string Name, HttpClient Client, Func<string> Url)[]
    {
        ("all cameras, un-paged (the UI's call)", viewer, () => "api/v1/cameras"),
        ("a page of 50, sorted by name", viewer, () => $"api/v1/cameras?offset={random.Next(0, cameraCount / 50) * 50}&limit=50"),
        ("free text, a page", viewer, () => $"api/v1/cameras?q={Uri.EscapeDataString(districts[random.Next(districts.Length)])}&limit=50"),
        ("one group", viewer, () => $"api/v1/cameras?group={groups[random.Next(groups.Count)]}"),
        ("status filter, sorted by status", viewer, () => "api/v1/cameras?status=stopped,milestone&sort=-status&limit=100"),
        ("a viewer limited to 5 groups", limited, () => "api/v1/cameras"),
        ("one camera", viewer, () => $"api/v1/cameras/{cameras[random.Next(cameras.Count)]}"),
        ("the groups", viewer, () => "api/v1/camera-groups"),
    };

    Console.WriteLine($"{requests} requests per case after 20 warm-up requests, one at a time; {Environment.ProcessorCount} cores, load average {LoadAverage()}");
    Console.WriteLine($"| case | answer bytes | p50 ms | p95 ms | max ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var (name, client, url) in cases)
    {
        long bytes = 0;
        for (var i = 0; i < 20; i++)
        {
            bytes = (await client.GetByteArrayAsync(url())).Length;
        }

        var times = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(url(), HttpCompletionOption.ResponseContentRead);
            response.EnsureSuccessStatusCode();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {bytes:N0} | {Percentile(times, 0.50):0.0} | {Percentile(times, 0.95):0.0} | {times[^1]:0.0} |"));
    }

    Console.WriteLine($"load average after: {LoadAverage()}");
}
finally
{
    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

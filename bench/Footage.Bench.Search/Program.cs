using System.Diagnostics;
using System.Globalization;
using Footage.Bench.Search;
using Footage.Data;
using Footage.Data.Migrations;
using Footage.Metadata;
using Footage.Metadata.Custody;
using Footage.Metadata.Incidents;
using Footage.Metadata.Search;
using Footage.Storage;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;

// Search latency over 1 M incidents and 1 M segments on PostgreSQL, and incident creation per second.
// Usage: dotnet run -c Release --project bench/Footage.Bench.Search [-- --incidents N --segments N --queries N --creates N --connection CS --keep]
// A server kept with --keep can be measured again with --connection: the load is skipped when its data is there.
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "", StringComparer.Ordinal);
int Option(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var incidentCount = Option("incidents", 1_000_000);
var segmentCount = Option("segments", 1_000_000);
var queryCount = Option("queries", 400);
var createCount = Option("creates", 2000);

PostgresServer? server = null;
string connectionString;
if (options.TryGetValue("connection", out var given))
{
    connectionString = given;
}
else
{
    Console.WriteLine("Starting a temporary PostgreSQL ...");
    server = new PostgresServer();
    await server.InitializeAsync();
    connectionString = await server.CreateDatabaseAsync("bench_search");
}

try
{
    var database = new PostgresDatabase(connectionString + ";Maximum Pool Size=20", 3600);
    await new MigrationRunner(database, [new SharedMigrations(), new StorageMigrations(), new MetadataMigrations()], NullLogger<MigrationRunner>.Instance)
        .MigrateAsync(CancellationToken.None);

    var words = new Vocabulary(5000, seed: 7);
    var now = DateTimeOffset.UtcNow;
    var loader = new DataLoader(connectionString, words, now);
    if (await loader.AlreadyLoadedAsync(segmentCount, incidentCount))
    {
        // a server kept by --keep and given again by --connection: measure again without loading twice
        Console.WriteLine("The data is already loaded: measuring only.");
    }
    else
    {
        Console.WriteLine($"Loading {incidentCount:N0} incidents and {segmentCount:N0} segments with COPY ...");
        await loader.LoadAsync(segmentCount, incidentCount);
    }

    var search = new IncidentSearch(database);
    var random = new Random(11);
    IncidentSeverity RandomSeverity() => (IncidentSeverity)random.Next(4);
    var mixes = new (string Name, Func<IncidentSearchQuery> Make)[]
    {
        ("one word + severity + created in the last 7 days", () => Query(words[random.Next(64, 1000)],
            severities: [RandomSeverity()], createdFrom: now.AddDays(-7))),
        ("two words + camera + 30-day time range", () => Query($"{words[random.Next(0, 64)]} {words[random.Next(64, 400)]}",
            cameras: [loader.CameraIds[random.Next(DataLoader.Cameras)]], from: now.AddDays(-30), to: now)),
        ("common word + severity HIGH + status OPEN", () => Query(words[random.Next(0, 64)],
            severities: [IncidentSeverity.High], statuses: [IncidentStatus.Open])),
    };

    var results = new List<string>();
    foreach (var (name, make) in mixes)
    {
        for (var i = 0; i < 30; i++)
        {
            await search.SearchAsync(make(), CancellationToken.None);
        }

        var latencies = new List<double>(queryCount);
        var hits = 0L;
        for (var i = 0; i < queryCount; i++)
        {
            var query = make();
            var started = Stopwatch.GetTimestamp();
            var (items, _) = await search.SearchAsync(query, CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            hits += items.Count;
        }

        latencies.Sort();
        var line = $"| {name} | {Percentile(latencies, 50):F1} | {Percentile(latencies, 99):F1} | {latencies[^1]:F1} | {hits / (double)queryCount:F1} |";
        results.Add(line);
        Console.WriteLine(line);
    }

    var incidents = new IncidentRepository(database, new CustodyLog(database, TimeProvider.System), TimeProvider.System);
    async Task<double> CreateAsync(int count, int workers)
    {
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (i, ct) =>
        {
            var r = new Random(i);
            var at = now.AddMinutes(-r.Next(0, 1000));
            await incidents.CreateAsync(new Incident(Guid.NewGuid(), words.Sentence(r, 3, 8), words.Sentence(r, 15, 40), IncidentSeverity.Medium, IncidentStatus.Open,
                [loader.CameraIds[r.Next(DataLoader.Cameras)]], at, at.AddMinutes(10), ["bench"], null, "bench", now, now, null), ct);
        });
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    var sequential = await CreateAsync(createCount / 2, 1);
    var parallel = await CreateAsync(createCount, 8);
    Console.WriteLine();
    Console.WriteLine($"Search over {incidentCount:N0} incidents and {segmentCount:N0} segments, {queryCount} queries per mix after 30 warm-up queries, page of 50 with snippets:");
    Console.WriteLine("| Query | p50 ms | p99 ms | max ms | rows returned (mean) |");
    Console.WriteLine("|---|---|---|---|---|");
    results.ForEach(Console.WriteLine);
    Console.WriteLine();
    Console.WriteLine($"Incident creation (row + search trigger + CREATED custody entry, one transaction): {sequential:F0}/s from one client, {parallel:F0}/s from 8 clients");
}
finally
{
    if (server is not null && options.ContainsKey("keep"))
    {
        Console.WriteLine($"Kept the server for inspection: {connectionString} (stop it with pg_ctl -D <its folder> stop)");
    }
    else if (server is not null)
    {
        await server.DisposeAsync();
    }
}

static IncidentSearchQuery Query(string text, IncidentSeverity[]? severities = null, IncidentStatus[]? statuses = null, Guid[]? cameras = null,
    DateTimeOffset? from = null, DateTimeOffset? to = null, DateTimeOffset? createdFrom = null) =>
    new(text, from, to, createdFrom, null, cameras ?? [], null, [], severities ?? [], statuses ?? [], null, null, 50, 0);

static double Percentile(List<double> sorted, int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

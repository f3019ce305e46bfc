using System.Diagnostics;
using System.Globalization;
using Footage.Bench.Results;
using Footage.Bench.Search;
using Footage.Data;
using Footage.Data.Migrations;
using Footage.Metadata;
using Footage.Metadata.Custody;
using Footage.Metadata.Incidents;
using Footage.Metadata.Search;
using Footage.Metadata.Search.Unified;
using Footage.Storage;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;

// Search latency over 1 M incidents, 5 M notes and 1 M segments on PostgreSQL, and incident creation per second.
// Usage: dotnet run -c Release --project bench/Footage.Bench.Search [-- --incidents N --segments N --annotations N --queries N --creates N --connection CS --keep
//        --plan auto|text-index|filter-walk --compare --filter-row-cost N --slowest N --everything-only]
// --everything-only measures the search over every kind alone (not the incident search's plans nor incident creation).
// A server kept with --keep can be measured again with --connection: the load is skipped when its data is there.
// --plan forces one PostgreSQL plan for every query (text-index is the query as it was before the planner chose);
// --compare also runs every query as text-index, alternating with the chosen plan, and checks that both return the same page
//   (for the search over every kind: the text index forced against the planner's choice, pages compared);
// --slowest N prints each kind's N slowest queries with the plan and the estimates it was chosen from.
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "", StringComparer.Ordinal);
int Option(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var incidentCount = Option("incidents", 1_000_000);
var segmentCount = Option("segments", 1_000_000);
var annotationCount = Option("annotations", 5_000_000);
var queryCount = Option("queries", 400);
var createCount = Option("creates", 2000);
var forced = options.GetValueOrDefault("plan", "auto") switch
{
    "auto" => (IncidentSearchPlan?)null,
    "text-index" => IncidentSearchPlan.TextIndex,
    "filter-walk" => IncidentSearchPlan.FilterWalk,
    var other => throw new ArgumentException($"--plan {other}: expected auto, text-index or filter-walk"),
};
var compare = options.ContainsKey("compare");

var startedAt = TimeProvider.System.GetUtcNow();
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

    var notes = new NotesLoader(connectionString, words);
    if (!await notes.AlreadyLoadedAsync(annotationCount))
    {
        Console.WriteLine($"Generating {annotationCount:N0} notes and the tags of segments, then the search index over every kind ...");
        await notes.LoadAsync(annotationCount);
    }

    Console.WriteLine($"Search over every kind ({annotationCount:N0} notes, {incidentCount:N0} incidents, {segmentCount:N0} segments), {queryCount} queries per kind after 20 warm-up queries, page of 50 with snippets:");
    Console.WriteLine(compare
        ? "| Query | p50 ms | p99 ms | max ms | hits returned (mean) | text index forced: p50 ms | p99 ms | p99 ratio | pages differing | accesses chosen (top/ranked) |\n|---|---|---|---|---|---|---|---|---|---|"
        : "| Query | p50 ms | p99 ms | max ms | hits returned (mean) | accesses chosen (top/ranked) |\n|---|---|---|---|---|---|");
    await new EverythingBench(new UnifiedSearch(database, new UnifiedSearchPlanner(new SearchEntryTextStatistics(TimeProvider.System))), words, loader.CameraIds, now).RunAsync(queryCount, compare);
    if (options.ContainsKey("everything-only"))
    {
        return;
    }

    using var statistics = new IncidentTextStatistics(TimeProvider.System);
    var planner = new IncidentSearchPlanner(statistics,
        options.TryGetValue("filter-row-cost", out var cost) ? double.Parse(cost, CultureInfo.InvariantCulture) : IncidentSearchPlanner.DefaultFilterRowCost);
    var search = new IncidentSearch(database, planner);
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
    var differences = 0;
    foreach (var (name, make) in mixes)
    {
        for (var i = 0; i < 30; i++)
        {
            var query = make();
            await search.SearchAsync(query, forced, CancellationToken.None);
            if (compare)
            {
                await search.SearchAsync(query, IncidentSearchPlan.TextIndex, CancellationToken.None);
            }
        }

        var latencies = new List<double>(queryCount);
        var old = new List<double>(queryCount);
        var hits = 0L;
        var walks = 0;
        var planning = 0.0;
        var slowest = new List<(double Ms, string What)>();
        for (var i = 0; i < queryCount; i++)
        {
            var query = make();
            // alternate which form runs first, so that neither always finds the other's pages in the cache
            IReadOnlyList<IncidentHit>? items = null, oldItems = null;
            for (var turn = 0; turn < (compare ? 2 : 1); turn++)
            {
                var chosen = turn == i % 2 || !compare;
                var started = Stopwatch.GetTimestamp();
                var (page, _) = await search.SearchAsync(query, chosen ? forced : IncidentSearchPlan.TextIndex, CancellationToken.None);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                (chosen ? latencies : old).Add(elapsed);
                if (chosen)
                {
                    items = page;
                    slowest.Add((elapsed, ""));
                }
                else
                {
                    oldItems = page;
                }
            }

            // after the timed search, so that a word's first search pays for learning its lexemes as it would in production
            string what;
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            {
                var started = Stopwatch.GetTimestamp();
                var choice = await planner.ChooseAsync(connection, query, CancellationToken.None);
                planning += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                walks += (forced ?? choice.Plan) == IncidentSearchPlan.FilterWalk ? 1 : 0;
                what = $"\"{query.Text}\" {forced ?? choice.Plan} (text matches {choice.TextRows:F0}, filters read {choice.FilterRows:F0})";
            }

            slowest[^1] = (slowest[^1].Ms, what);
            hits += items!.Count;
            if (oldItems is not null && !Same(items, oldItems))
            {
                differences++;
                Console.WriteLine($"  different pages for \"{query.Text}\"");
            }
        }

        latencies.Sort();
        var line = $"| {name} | {Percentile(latencies, 50):F1} | {Percentile(latencies, 99):F1} | {latencies[^1]:F1} | {hits / (double)queryCount:F1} | {walks} of {queryCount} | {planning / queryCount:F2} |";
        if (compare)
        {
            old.Sort();
            line += $" {Percentile(old, 50):F1} | {Percentile(old, 99):F1} | {Percentile(latencies, 99) / Percentile(old, 99):F2} |";
        }

        results.Add(line);
        Console.WriteLine(line);
        foreach (var (ms, slow) in slowest.OrderByDescending(x => x.Ms).Take(Option("slowest", 0)))
        {
            Console.WriteLine($"    {ms,6:F1} ms {slow}");
        }
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
    Console.WriteLine($"Search over {incidentCount:N0} incidents and {segmentCount:N0} segments, {queryCount} queries per mix after 30 warm-up queries, page of 50 with snippets, plan {options.GetValueOrDefault("plan", "auto")}, filter row cost {options.GetValueOrDefault("filter-row-cost", IncidentSearchPlanner.DefaultFilterRowCost.ToString(CultureInfo.InvariantCulture))}:");
    Console.WriteLine(compare
        ? "| Query | p50 ms | p99 ms | max ms | rows returned (mean) | filter walks | choosing ms (mean) | old p50 ms | old p99 ms | p99 new/old |\n|---|---|---|---|---|---|---|---|---|---|"
        : "| Query | p50 ms | p99 ms | max ms | rows returned (mean) | filter walks | choosing ms (mean) |\n|---|---|---|---|---|---|---|");
    results.ForEach(Console.WriteLine);
    if (compare)
    {
        Console.WriteLine($"Pages that differ between the chosen plan and the old query: {differences}");
    }

    Console.WriteLine();
    Console.WriteLine($"Incident creation (row + search trigger + CREATED custody entry, one transaction): {sequential:F0}/s from one client, {parallel:F0}/s from 8 clients");
    // the capacity model's input: full-size runs only, so that a smoke run with small counts never becomes the newest figure
    if (incidentCount == 1_000_000 && segmentCount == 1_000_000 && annotationCount == 5_000_000)
    {
        var written = await BenchResults.AppendAsync("Footage.Bench.Search", new System.Text.Json.Nodes.JsonObject
        {
            ["measured_at"] = startedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["command"] = "dotnet run -c Release --project bench/Footage.Bench.Search" + (args.Length > 0 ? " -- " + string.Join(' ', args.Select((a, i) => i > 0 && args[i - 1] == "--connection" ? "..." : a)) : ""),
            ["conditions"] = BenchResults.Conditions(),
            ["incidents"] = incidentCount,
            ["segments"] = segmentCount,
            ["incident_creates_per_second"] = new System.Text.Json.Nodes.JsonObject { ["1_client"] = Math.Round(sequential), ["8_clients"] = Math.Round(parallel) },
        });
        Console.WriteLine($"Appended to {written}");
    }
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

static bool Same(IReadOnlyList<IncidentHit> a, IReadOnlyList<IncidentHit> b) =>
    a.Select(h => (h.Incident.Id, h.Rank, h.TitleHighlight, h.DescriptionHighlight)).SequenceEqual(b.Select(h => (h.Incident.Id, h.Rank, h.TitleHighlight, h.DescriptionHighlight)));

static double Percentile(List<double> sorted, int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

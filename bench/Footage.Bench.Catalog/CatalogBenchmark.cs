using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Data;
using Footage.Data.Migrations;
using Footage.Storage;
using Footage.Storage.Segments;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Footage.Bench.Catalog;

/// <summary>
/// The catalog benchmark end to end: a real PostgreSQL with the real migrations, the bulk load, then
/// registrations and camera-day listings through the product's repository and through its HTTP API.
/// </summary>
public sealed class CatalogBenchmark(BenchOptions options, BenchmarkResults results)
{
    private const int CommandTimeoutSeconds = 60;
    private readonly Random _random = new(7);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var postgres = new PostgresServer();
        Console.WriteLine("Starting PostgreSQL in a temp folder...");
        await postgres.InitializeAsync();
        try
        {
            await RunAsync(postgres, cancellationToken);
        }
        finally
        {
            Console.WriteLine("Stopping PostgreSQL and removing its folder...");
            await postgres.DisposeAsync();
        }
    }

    private async Task RunAsync(PostgresServer postgres, CancellationToken cancellationToken)
    {
        var connectionString = await postgres.CreateDatabaseAsync("footage_bench");
        var catalog = new CatalogDatabase(connectionString);
        results.PostgresVersion = await catalog.ScalarAsync("SHOW server_version", cancellationToken);
        results.PostgresSettings = await catalog.SettingsAsync(cancellationToken);

        await using (var database = new PostgresDatabase(connectionString, CommandTimeoutSeconds))
        {
            var applied = await new MigrationRunner(database, [new SharedMigrations(), new StorageMigrations()], NullLogger<MigrationRunner>.Instance)
                .MigrateAsync(cancellationToken);
            Console.WriteLine($"Applied {applied} migrations (shared, storage).");
        }

        var segments = new SyntheticSegments(options.Cameras, options.Days, TimeProvider.System.GetUtcNow());
        results.KeyframeJsonLength = segments.AverageKeyframeJsonLength;
        results.KeyframeRows = (long)options.Cameras * Math.Min(options.KeyframeDays, options.Days) * 24;
        await LoadAsync(connectionString, catalog, segments, cancellationToken);

        var day = RandomCameraDays(segments, 1)[0];
        results.ListPlan = await catalog.ExplainListAsync(segments.CameraIds[day.Camera], day.Start, cancellationToken);
        Console.WriteLine("EXPLAIN (ANALYZE, BUFFERS) of the list query for one camera-day:\n" + results.ListPlan);
        results.ListPlanNewestDay = await catalog.ExplainListAsync(segments.CameraIds[day.Camera], segments.LoadEnd.AddDays(-1), cancellationToken);
        Console.WriteLine("The same for the newest loaded day:\n" + results.ListPlanNewestDay);

        results.LoadAverageAtStart = MachineFacts.LoadAverage();
        var apiFirst = await RegisterThroughRepositoryAsync(connectionString, segments, cancellationToken);
        await RegisterThroughApiAsync(postgres, connectionString, segments, apiFirst, cancellationToken);

        // two disjoint sets of camera-days, each listed first right after a restart (empty shared buffers)
        var cold = RandomCameraDays(segments, options.ColdSamples * 2);
        await RestartAsync(postgres, catalog, cancellationToken);
        await ListThroughRepositoryAsync(connectionString, catalog, segments, cold[..options.ColdSamples], cancellationToken);
        await RestartAsync(postgres, catalog, cancellationToken);
        await ListThroughApiAsync(postgres, connectionString, segments, cold[options.ColdSamples..], cancellationToken);

        results.LoadAverageAtEnd = MachineFacts.LoadAverage();
        results.SizeAtEnd = await catalog.SegmentsSizeAsync(cancellationToken);
        Console.WriteLine($"Segments at the end: {await catalog.ScalarAsync("SELECT count(*) FROM segments", cancellationToken)} rows; {results.SizeAtEnd}");
    }

    private async Task LoadAsync(string connectionString, CatalogDatabase catalog, SyntheticSegments segments, CancellationToken cancellationToken)
    {
        Console.WriteLine(
            $"Loading {options.Rows:N0} segments ({options.Cameras} cameras x {options.Days} days x 24 hours, " +
            $"{segments.LoadStart:yyyy-MM-dd} to {segments.LoadEnd:yyyy-MM-dd}) by binary COPY...");
        await BulkLoader.InsertCamerasAsync(connectionString, segments, cancellationToken);
        (results.Rows, results.CopyElapsed, results.CopyWithoutKeyframesElapsed) =
            await BulkLoader.CopySegmentsAsync(connectionString, segments, options.KeyframeDays, cancellationToken);
        Console.WriteLine(
            $"  COPY: {results.Rows:N0} rows in {results.CopyElapsed.TotalSeconds:N1} s = {results.CopyRowsPerSecond:N0} rows/s " +
            $"(without key-frame index {results.CopyRowsWithoutKeyframesPerSecond:N0} rows/s, with one {results.CopyRowsWithKeyframesPerSecond:N0} rows/s)");
        var started = TimeProvider.System.GetTimestamp();
        await catalog.ExecuteAsync("VACUUM (ANALYZE) segments", cancellationToken);
        results.VacuumElapsed = TimeProvider.System.GetElapsedTime(started);
        results.SizeAfterLoad = await catalog.SegmentsSizeAsync(cancellationToken);
        results.SizeAfterLoadBytes = await catalog.SegmentsSizeBytesAsync(cancellationToken);
        Console.WriteLine($"  VACUUM (ANALYZE): {results.VacuumElapsed.TotalSeconds:N1} s; {results.SizeAfterLoad}");
    }

    /// <summary>
    /// New hours of the same cameras through <see cref="SegmentRepository.RegisterAsync"/>, the recorder's
    /// in-process path; returns the first registration number left for the API.
    /// </summary>
    private async Task<long> RegisterThroughRepositoryAsync(string connectionString, SyntheticSegments segments, CancellationToken cancellationToken)
    {
        Console.WriteLine("Registrations through SegmentRepository.RegisterAsync (ISegmentCatalog), each with a 1,800-entry key-frame index:");
        await using var database = new PostgresDatabase(connectionString, CommandTimeoutSeconds);
        var repository = new SegmentRepository(database, TimeProvider.System);

        Func<int, CancellationToken, Task> Register(long offset, SegmentRegistrationOutcome expected) => async (i, ct) =>
        {
            var registration = await repository.RegisterAsync(segments.Registration(offset + i), ct);
            if (registration.Outcome != expected)
            {
                throw new InvalidOperationException($"Registration {offset + i} was {registration.Outcome}, expected {expected}.");
            }
        };

        const long single = 0;
        var concurrent = single + options.SingleWriterRegistrations;
        results.Registrations.Add(await Measure.RunAsync("new segment", "repository", options.SingleWriterRegistrations, 1,
            Register(single, SegmentRegistrationOutcome.Created), cancellationToken));
        results.Registrations.Add(await Measure.RunAsync("new segment", "repository", options.ConcurrentRegistrations, options.Writers,
            Register(concurrent, SegmentRegistrationOutcome.Created), cancellationToken));
        results.Registrations.Add(await Measure.RunAsync("same segment again (idempotent)", "repository", options.SingleWriterRegistrations, 1,
            Register(single, SegmentRegistrationOutcome.AlreadyRegistered), cancellationToken));
        results.Registrations.Add(await Measure.RunAsync("same segment again (idempotent)", "repository", options.SingleWriterRegistrations, options.Writers,
            Register(single, SegmentRegistrationOutcome.AlreadyRegistered), cancellationToken));
        return concurrent + options.ConcurrentRegistrations;
    }

    /// <summary>
    /// POST /api/v1/storage/segments against the real host on the same database. The API checks that the
    /// object exists with the registered size, so each one is first created as a sparse file of that size
    /// in the filesystem backend (no disk used); creating them is not timed.
    /// </summary>
    private async Task RegisterThroughApiAsync(PostgresServer postgres, string connectionString, SyntheticSegments segments, long first, CancellationToken cancellationToken)
    {
        var count = options.ApiSingleWriterRegistrations + options.ApiConcurrentRegistrations;
        Console.WriteLine($"Registrations through POST /api/v1/storage/segments (operator API key), {count:N0} sparse objects first:");
        await using var server = await StartServerAsync(postgres, connectionString);
        var recordings = Path.Combine(server.DataDirectory, "storage", StorageBuckets.Recordings);
        for (var k = first; k < first + count; k++)
        {
            var segment = segments.Registration(k);
            var file = Path.Combine(recordings, segment.StoragePath);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
            stream.SetLength(segment.SizeBytes);
        }

        using var client = await server.ClientAsync("operator");
        Func<int, CancellationToken, Task> Post(long offset, HttpStatusCode expected) => async (i, ct) =>
        {
            using var body = new StringContent(RequestBody(segments, offset + i), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("api/v1/storage/segments", body, ct);
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"POST of registration {offset + i} answered {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        };

        var single = first;
        var concurrent = single + options.ApiSingleWriterRegistrations;
        results.Registrations.Add(await Measure.RunAsync("new segment", "HTTP API", options.ApiSingleWriterRegistrations, 1,
            Post(single, HttpStatusCode.Created), cancellationToken));
        results.Registrations.Add(await Measure.RunAsync("new segment", "HTTP API", options.ApiConcurrentRegistrations, options.Writers,
            Post(concurrent, HttpStatusCode.Created), cancellationToken));
        results.Registrations.Add(await Measure.RunAsync("same segment again (idempotent)", "HTTP API", options.ApiSingleWriterRegistrations, options.Writers,
            Post(single, HttpStatusCode.OK), cancellationToken));
    }

    private async Task ListThroughRepositoryAsync(
        string connectionString, CatalogDatabase catalog, SyntheticSegments segments, CameraDay[] cold, CancellationToken cancellationToken)
    {
        Console.WriteLine("Listing one camera-day through SegmentRepository.ListAsync (one client):");
        await using var database = new PostgresDatabase(connectionString, CommandTimeoutSeconds);
        var repository = new SegmentRepository(database, TimeProvider.System);
        var before = await catalog.IndexScansAsync(cancellationToken);

        Func<int, CancellationToken, Task> List(CameraDay[] days, bool keyframes) => async (i, ct) =>
        {
            var day = days[i];
            var page = await repository.ListAsync(
                new SegmentQuery(segments.CameraIds[day.Camera], day.Start, day.Start.AddDays(1), null, SegmentsApi.DefaultPageSize, keyframes), ct);
            ExpectOneDay(page.Items.Count, day);
        };

        results.Lists.Add(await Measure.RunAsync("camera-day, cold", "repository", cold.Length, 1, List(cold, false), cancellationToken));
        var warm = Enumerable.Range(0, options.WarmSamples).Select(_ => cold[_random.Next(cold.Length)]).ToArray();
        results.Lists.Add(await Measure.RunAsync("camera-day, warm", "repository", warm.Length, 1, List(warm, false), cancellationToken));
        results.Lists.Add(await Measure.RunAsync("camera-day, warm", "repository", warm.Length, options.Writers, List(warm, false), cancellationToken));

        var withIndex = RandomCameraDays(segments, Math.Min(options.ColdSamples, options.Cameras * options.KeyframeDays), segments.LoadedHours / 24 - options.KeyframeDays);
        results.Lists.Add(await Measure.RunAsync("camera-day with key-frame indexes", "repository", withIndex.Length, 1, List(withIndex, true), cancellationToken));

        // an idle backend keeps its counts for up to 10 s; closing the pool's connections flushes them
        await database.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var after = await catalog.IndexScansAsync(cancellationToken);
        results.ListIndexScans = after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key), StringComparer.Ordinal);
        Console.WriteLine("  index scans during the listings: " + string.Join(", ", results.ListIndexScans.Select(kv => $"{kv.Key} {kv.Value}")));
    }

    private async Task ListThroughApiAsync(PostgresServer postgres, string connectionString, SyntheticSegments segments, CameraDay[] cold, CancellationToken cancellationToken)
    {
        Console.WriteLine("Listing one camera-day through GET /api/v1/storage/segments/{camera_id}?from=&to= (viewer API key):");
        await using var server = await StartServerAsync(postgres, connectionString);
        using var client = await server.ClientAsync("viewer");

        Func<int, CancellationToken, Task> List(CameraDay[] days) => async (i, ct) =>
        {
            var day = days[i];
            var url = $"api/v1/storage/segments/{segments.CameraIds[day.Camera]}?from={Instants.ToIso(day.Start)}&to={Instants.ToIso(day.Start.AddDays(1))}";
            var page = await client.GetFromJsonAsync<JsonElement>(url, ct);
            ExpectOneDay(page.GetProperty("items").GetArrayLength(), day);
        };

        results.Lists.Add(await Measure.RunAsync("camera-day, cold", "HTTP API", cold.Length, 1, List(cold), cancellationToken));
        var warm = Enumerable.Range(0, options.WarmSamples).Select(_ => cold[_random.Next(cold.Length)]).ToArray();
        results.Lists.Add(await Measure.RunAsync("camera-day, warm", "HTTP API", warm.Length, 1, List(warm), cancellationToken));
        results.Lists.Add(await Measure.RunAsync("camera-day, warm", "HTTP API", warm.Length, options.Writers, List(warm), cancellationToken));
    }

    private static Task<FootageServer> StartServerAsync(PostgresServer postgres, string connectionString) =>
        FootageServer.StartAsync(DatabaseKind.Postgres, postgres, new Dictionary<string, string?>
        {
            ["Footage:Database:ConnectionString"] = connectionString,
            ["Logging:LogLevel:Default"] = "Error",
        });

    /// <summary>A checkpoint first so that the immediate stop needs no long recovery; the restart empties shared buffers.</summary>
    private static async Task RestartAsync(PostgresServer postgres, CatalogDatabase catalog, CancellationToken cancellationToken)
    {
        Console.WriteLine("Restarting PostgreSQL (cold shared buffers; the OS page cache is left as it is)...");
        await catalog.ExecuteAsync("CHECKPOINT", cancellationToken);
        await postgres.StopAsync();
        await postgres.StartAgainAsync();
    }

    private static string RequestBody(SyntheticSegments segments, long k)
    {
        var s = segments.Registration(k);
        var camera = (int)(k % segments.CameraIds.Count);
        var hour = segments.LoadedHours + (int)(k / segments.CameraIds.Count);
        // the key-frame JSON is already the wire format ([[ms, byte offset], ...]); splice it in rather than re-serialize 1,800 pairs per request
        return $$"""
                 {"camera_id":"{{s.CameraId}}","start_time":"{{Instants.ToIso(s.StartTime)}}","end_time":"{{Instants.ToIso(s.EndTime)}}","duration_seconds":{{s.DurationSeconds}},"size_bytes":{{s.SizeBytes}},"storage_backend":"{{s.StorageBackend}}","storage_path":"{{s.StoragePath}}","checksum":"{{s.Checksum}}","keyframes":{{segments.KeyframesJson(camera, hour)}}}
                 """;
    }

    private static void ExpectOneDay(int count, CameraDay day)
    {
        if (count != 24)
        {
            throw new InvalidOperationException($"Camera {day.Camera} on {day.Start:yyyy-MM-dd} listed {count} segments, not 24.");
        }
    }

    /// <summary>Distinct random camera-days of the loaded range, from its firstDay on.</summary>
    private CameraDay[] RandomCameraDays(SyntheticSegments segments, int count, int firstDay = 0)
    {
        var days = segments.LoadedHours / 24 - firstDay;
        var picked = new HashSet<(int, int)>();
        var result = new CameraDay[count];
        for (var i = 0; i < count;)
        {
            var camera = _random.Next(options.Cameras);
            var day = firstDay + _random.Next(days);
            if (picked.Add((camera, day)))
            {
                result[i++] = new CameraDay(camera, segments.LoadStart.AddDays(day));
            }
        }

        return result;
    }

    private readonly record struct CameraDay(int Camera, DateTimeOffset Start);
}

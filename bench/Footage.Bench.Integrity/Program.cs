using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Footage.Core.Storage;
using Footage.Storage;
using Footage.Storage.Backends;
using Footage.Storage.Buckets;
using Footage.Testing;

// What keeping footage as evidence costs, on a real S3 server (a throwaway Ceph RADOS Gateway with objects in memory) and
// on the local disk, measured in one run so that ratios compare like with like:
//   1. holding a segment: the server-side copy into cctv-clips plus its legal hold, against uploading that segment;
//   2. a write-once put (HEAD, then PUT with If-None-Match) against a plain put, for small objects;
//   3. the integrity scrub's re-read: SHA-256 of stored objects at full speed, MiB/s and CPU seconds per GiB.
//   dotnet run -c Release --project bench/Footage.Bench.Integrity -- [segmentMiB=256] [repeats=3] [smallPuts=200]
var segmentMiB = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 256;
var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var smallPuts = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;

using var work = new TempFolder("bench-integrity");
var segment = Path.Combine(work.Path, "segment.ts");
await using (var file = File.Create(segment))
{
    var block = new byte[1 << 20];
    for (var i = 0; i < segmentMiB; i++)
    {
        RandomNumberGenerator.Fill(block);
        await file.WriteAsync(block);
    }
}

var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(File.OpenRead(segment)));
Console.WriteLine($"segment: {segmentMiB} MiB, {repeats} repeats; {Environment.ProcessorCount} cores, load {Load()}");

await using var rgw = new RadosGateway();
await rgw.InitializeAsync();
var s3Options = new S3BackendOptions
{
    ServiceUrl = rgw.ServiceUrl, AccessKey = rgw.Identities.Storage.AccessKey, SecretKey = rgw.Identities.Storage.SecretKey, Region = rgw.Region,
};
using (var buckets = new S3BucketAdmin(s3Options))
{
    await buckets.EnsureBucketsAsync(CancellationToken.None);
}

using var s3 = new S3Backend(s3Options);
var disk = new FilesystemBackend(Path.Combine(work.Path, "storage"));

foreach (var (name, backend) in new (string, IStorageBackend)[] { ("s3 (RADOS Gateway)", s3), ("filesystem", disk) })
{
    var puts = new List<double>();
    var copies = new List<double>();
    var holds = new List<double>();
    var store = (IHoldingStore)backend;
    for (var i = 0; i < repeats; i++)
    {
        var key = ObjectKeys.ForSegment(Guid.NewGuid(), new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        puts.Add(await TimeAsync(() => backend.PutFileAsync(StorageBuckets.Recordings, key, segment, sha256, CancellationToken.None)));
        copies.Add(await TimeAsync(() => store.CopyAsync(StorageBuckets.Recordings, key, StorageBuckets.Clips, ObjectKeys.ForHeldCopy(key), CancellationToken.None)));
        holds.Add(await TimeAsync(() => store.SetHoldAsync(StorageBuckets.Clips, ObjectKeys.ForHeldCopy(key), true, CancellationToken.None)));
    }

    Console.WriteLine($"{name}: upload {Median(puts):F3} s, held copy {Median(copies):F3} s + hold {Median(holds):F3} s; " +
                      $"copy / upload {Median(copies) / Median(puts):F3}");

    var small = new byte[64 * 1024];
    var writeOnce = new List<double>();
    var plain = new List<double>();
    for (var i = 0; i < smallPuts; i++)
    {
        RandomNumberGenerator.Fill(small);
        writeOnce.Add(await TimeAsync(() => backend.PutAsync(StorageBuckets.Recordings, $"small/{Guid.NewGuid():N}.ts", new MemoryStream(small), null, CancellationToken.None)));
        plain.Add(await TimeAsync(() => backend.PutAsync(StorageBuckets.Exports, $"small/{Guid.NewGuid():N}.ts", new MemoryStream(small), null, CancellationToken.None)));
    }

    Console.WriteLine($"{name}: 64 KiB put, write-once {Median(writeOnce) * 1000:F2} ms, replaceable {Median(plain) * 1000:F2} ms; ratio {Median(writeOnce) / Median(plain):F2}");

    var read = 0L;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await foreach (var item in backend.ListAsync(StorageBuckets.Clips, ObjectKeys.HeldPrefix, CancellationToken.None))
    {
        await using var stream = await backend.OpenReadAsync(StorageBuckets.Clips, item.Key, null, CancellationToken.None);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = await stream!.Content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            read += n;
        }
    }

    var seconds = clock.Elapsed.TotalSeconds;
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    var gib = read / (double)(1L << 30);
    Console.WriteLine($"{name}: scrub re-read {read / (double)(1 << 20) / seconds:F0} MiB/s, {cpuSeconds / gib:F2} CPU s per GiB " +
                      $"(at the default 16 MiB/s: {16.0 / 1024 * cpuSeconds / gib * 100:F1} % of a core)");
}

static async Task<double> TimeAsync(Func<Task> action)
{
    var clock = Stopwatch.StartNew();
    await action();
    return clock.Elapsed.TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

using System.Diagnostics;
using System.Security.Cryptography;
using Footage.Evidence;
using Footage.Testing;

namespace Footage.Bench.Evidence;

/// <summary>
/// What signing an export costs on top of what an export already does: a plain copy of the video (the floor for any
/// packaging), hashing it (the stitcher already does), writing the signed package, and verifying it, for one file of
/// the given size; the median of three runs of each, and each one's ratio to the copy measured in the same run.
/// </summary>
public static class PackageBenchmark
{
    public static async Task<string> RunAsync(int megabytes)
    {
        using var folder = new TempFolder("footage-bench-evidence");
        var video = Path.Combine(folder.Path, "11111111-1111-4111-8111-111111111111.mp4");
        await WriteRandomAsync(video, megabytes * 1024L * 1024);
        using var key = EvidenceKey.Generate();
        var sha = "";
        var copy = new List<double>();
        var hash = new List<double>();
        var write = new List<double>();
        var verify = new List<double>();
        var valid = true;
        for (var run = 0; run < 3; run++)
        {
            var target = Path.Combine(folder.Path, $"copy-{run}.bin");
            copy.Add(await TimeAsync(async () => { await using var from = File.OpenRead(video); await using var to = File.Create(target); await from.CopyToAsync(to); }));
            File.Delete(target);
            hash.Add(await TimeAsync(async () => { await using var from = File.OpenRead(video); sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(from)); }));
            var manifest = System.Text.Encoding.UTF8.GetBytes($$"""{"kind":"export","export_id":"bench","cameras":[{"file":"{{Path.GetFileName(video)}}","sha256":"{{sha}}","size_bytes":{{new FileInfo(video).Length}}}]}""");
            var zip = Path.Combine(folder.Path, $"package-{run}.zip");
            write.Add(await TimeAsync(async () =>
            {
                await using var file = File.Create(zip);
                await EvidencePackageWriter.WriteAsync(file, [new EvidenceVideo(Path.GetFileName(video), video, sha)], manifest, key, "bench", CancellationToken.None);
            }));
            EvidenceReport? report = null;
            verify.Add(await TimeAsync(async () => report = await EvidenceVerifier.VerifyAsync(zip, key, CancellationToken.None)));
            valid &= report!.Valid;
            File.Delete(zip);
        }

        double Rate(List<double> seconds) => megabytes / Median(seconds);
        double Ratio(List<double> seconds) => Median(seconds) / Median(copy);
        return $"""

                Evidence package of one {megabytes} MiB video (median of 3; ratio to a plain copy measured in the same run)
                | step | MiB/s | time vs copy |
                |---|---:|---:|
                | copy the file (floor) | {Rate(copy):N0} | 1.00 |
                | SHA-256 of the file (the stitcher does it already) | {Rate(hash):N0} | {Ratio(hash):N2} |
                | write the signed package (zip, SHA256SUMS, two signatures) | {Rate(write):N0} | {Ratio(write):N2} |
                | verify the package (hash every entry, both signatures) | {Rate(verify):N0} | {Ratio(verify):N2} |
                every package verified: {valid}
                """;
    }

    private static async Task WriteRandomAsync(string path, long bytes)
    {
        var buffer = new byte[1 << 20];
        await using var file = File.Create(path);
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            Random.Shared.NextBytes(buffer);
            await file.WriteAsync(buffer);
        }
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    public static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

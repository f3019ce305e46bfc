using System.Diagnostics;

namespace Footage.Bench.Catalog;

/// <summary>Runs an operation a number of times over a number of concurrent workers and times each call and the whole.</summary>
public static class Measure
{
    public static async Task<Measurement> RunAsync(
        string name, string path, int operations, int workers, Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var latencies = new double[operations];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < operations)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(i, cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }, cancellationToken)));
        total.Stop();
        Array.Sort(latencies);
        var result = new Measurement(name, path, workers, operations, total.Elapsed, latencies);
        Console.WriteLine(
            $"  {name} [{path}, {workers} worker(s)]: {operations:N0} in {total.Elapsed.TotalSeconds:N1} s = {result.PerSecond:N0}/s; " +
            $"p50 {result.P50:N2} ms, p99 {result.P99:N2} ms, max {result.Max:N2} ms");
        return result;
    }
}

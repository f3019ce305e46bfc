using System.Collections.Concurrent;
using System.Globalization;

namespace Footage.Hardening.Tests.Load;

/// <summary>Latencies and outcomes of requests, by kind, from many concurrent clients.</summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _milliseconds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errorSamples = new();
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public int Requests => _milliseconds.Values.Sum(b => b.Count);

    public int Errors => _errors.Values.Sum();

    public IEnumerable<string> ErrorSamples => _errorSamples.Take(10);

    public void Record(string kind, double milliseconds, long bytes)
    {
        _milliseconds.GetOrAdd(kind, _ => []).Add(milliseconds);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Fail(string kind, string what)
    {
        _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (_errorSamples.Count < 10)
        {
            _errorSamples.Enqueue($"{kind}: {what}");
        }
    }

    /// <summary>One line per kind: count, errors, p50, p95, p99 and max in milliseconds.</summary>
    public IEnumerable<string> Report() =>
        _milliseconds.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
        {
            var sorted = kv.Value.Order().ToArray();
            return string.Create(CultureInfo.InvariantCulture,
                $"{kv.Key}: {sorted.Length} requests, {_errors.GetValueOrDefault(kv.Key)} errors, p50 {Percentile(sorted, 0.50):F1} ms, p95 {Percentile(sorted, 0.95):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms, max {sorted[^1]:F1} ms");
        });

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

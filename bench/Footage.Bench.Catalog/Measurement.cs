namespace Footage.Bench.Catalog;

/// <summary>What one measurement saw: how many operations in how long, and the latency of each.</summary>
public sealed record Measurement(string Name, string Path, int Workers, int Operations, TimeSpan Elapsed, double[] SortedLatenciesMs)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    public double Max => SortedLatenciesMs[^1];

    /// <summary>Nearest rank: the smallest latency that at least p of the operations did not exceed.</summary>
    public double Percentile(double p) =>
        SortedLatenciesMs[Math.Clamp((int)Math.Ceiling(p * SortedLatenciesMs.Length) - 1, 0, SortedLatenciesMs.Length - 1)];
}

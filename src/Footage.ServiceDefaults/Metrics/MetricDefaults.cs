using Prometheus;

namespace Footage.ServiceDefaults.Metrics;

/// <summary>
/// Which of prometheus-net's built-in metrics a host publishes: the runtime's own meters (System.Runtime: GC, JIT, thread
/// pool, read only when /metrics is scraped), not its EventCounters, which prometheus-net would otherwise poll on a
/// thread of their own every second for figures the meters already give (a third of an idle recorder's CPU). No
/// exemplars: nothing here traces, yet by default every counter increment would look for a trace to attach (a
/// recorder counts its bytes on every look at every camera).
/// </summary>
public static class MetricDefaults
{
    private static readonly Lock Gate = new();
    private static bool _applied;

    /// <summary>Once per process, before the first metric is collected.</summary>
    public static void Apply()
    {
        lock (Gate)
        {
            if (_applied)
            {
                return;
            }

            _applied = true;
            Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true });
            Prometheus.Metrics.DefaultFactory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        }
    }
}

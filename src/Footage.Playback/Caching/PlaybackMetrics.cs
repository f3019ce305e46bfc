using Prometheus;

namespace Footage.Playback.Caching;

/// <summary>Prometheus metrics of the Playback module; the cache hit ratio is hits / (hits + misses) per kind.</summary>
public static class PlaybackMetrics
{
    public static readonly Counter CacheRequests = Metrics.CreateCounter(
        "footage_playback_cache_requests_total", "Playback cache lookups by kind (playlist, chunk) and result (hit, miss).", "kind", "result");

    public static readonly Histogram PlaylistBuild = Metrics.CreateHistogram(
        "footage_playback_playlist_build_seconds", "Time to build a playlist from the catalog (cache misses only).",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });

    public static readonly Counter MediaBytes = Metrics.CreateCounter(
        "footage_playback_media_bytes_total", "Media bytes served, by source (cache, backend).", "source");

    public static void Initialize()
    {
        foreach (var kind in new[] { "playlist", "chunk" })
        {
            CacheRequests.WithLabels(kind, "hit");
            CacheRequests.WithLabels(kind, "miss");
        }

        MediaBytes.WithLabels("cache");
        MediaBytes.WithLabels("backend");
    }
}

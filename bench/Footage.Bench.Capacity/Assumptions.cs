namespace Footage.Bench.Capacity;

/// <summary>What the model is asked about and what it assumes beyond the measurements; each is a command-line option.</summary>
public sealed record Assumptions(
    int Cameras,
    double BitrateMbps,
    int RetentionDays,
    int SegmentSeconds,
    double KeyframeSeconds,
    int ThumbnailSeconds,
    int ThumbnailDays,
    double ThumbnailKb,
    int HostCores,
    double HostMemoryGb,
    double HostNicGbps,
    double TargetUtilisation,
    double LeaseRenewSeconds)
{
    public static Assumptions Parse(IReadOnlyDictionary<string, string> options)
    {
        double Get(string name, double fallback) =>
            options.TryGetValue(name, out var text) ? double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        return new Assumptions(
            (int)Get("cameras", 500), Get("bitrate", 4), (int)Get("days", 90), (int)Get("segment-seconds", 3600), Get("keyframe-seconds", 2),
            (int)Get("thumbnail-seconds", 300), (int)Get("thumbnail-days", 30), Get("thumbnail-kb", 30),
            (int)Get("host-cores", 8), Get("host-memory-gb", 32), Get("host-nic-gbps", 10), Get("utilisation", 0.7), Get("lease-renew-seconds", 10));
    }

    public IEnumerable<Figure> All =>
    [
        new("cameras", Cameras, "", "the spec (phase 2): 500 cameras"),
        new("bitrate per camera", BitrateMbps, "Mbit/s", "docs/operations.md, \"Sizing\": the spec's 1.9 PB for 500 cameras x 90 days"),
        new("retention", RetentionDays, "days", "the spec: 90 days"),
        new("segment length", SegmentSeconds, "s", "Footage:Recording:SegmentSeconds (default 3600)"),
        new("key-frame interval of the cameras", KeyframeSeconds, "s", "assumed; the catalog benchmark's indexes have one every 2 s"),
        new("thumbnail every", ThumbnailSeconds, "s", "Footage:Recording:ThumbnailSeconds (default 300)"),
        new("thumbnails kept", ThumbnailDays, "days", "Footage:Storage:Retention:ThumbnailsDays (default 30)"),
        new("thumbnail size", ThumbnailKb, "KB", "assumed (a 320 px JPEG)"),
        new("recorder host cores", HostCores, "", "assumed host"),
        new("recorder host memory", HostMemoryGb, "GB", "assumed host"),
        new("recorder host network", HostNicGbps, "Gbit/s", "assumed host"),
        new("target utilisation", TargetUtilisation * 100, "%", "assumed head-room: a host is full at this share of a resource"),
        new("lease renewal interval", LeaseRenewSeconds, "s", "Footage:Recording:Leases:RenewInterval (default 10 s)"),
    ];
}

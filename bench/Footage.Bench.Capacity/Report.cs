using System.Globalization;
using System.Text;

namespace Footage.Bench.Capacity;

/// <summary>The model's answer as a section of docs/benchmarks.md: inputs with their sources, then the results.</summary>
public static class Report
{
    public const string Heading = "## Capacity model";

    public static string Markdown(CapacityModel m, string command)
    {
        var a = m.Ask;
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"{Heading}: {a.Cameras} cameras");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"`{command}`");
        s.AppendLine();
        s.AppendLine("A model, not a load test: it takes the per-camera and per-row figures measured by the benchmarks above (read each time");
        s.AppendLine("it runs from the results file each of them writes beside itself, `bench/{bench}/results.json`, every run with its date and");
        s.AppendLine("conditions: the newest run, for the recording the newest row of the most cameras) and the assumptions below, and works out what");
        s.AppendLine(CultureInfo.InvariantCulture, $"{a.Cameras} cameras need. Every input is an option (`--cameras`, `--bitrate`, `--days`, `--host-cores`, ...).");
        s.AppendLine();
        s.AppendLine("**Measured inputs**");
        s.AppendLine();
        Table(s, m.Measured.All);
        s.AppendLine("**Assumptions**");
        s.AppendLine();
        Table(s, a.All);

        s.AppendLine("**Results**");
        s.AppendLine();
        s.AppendLine("| | figure | how |");
        s.AppendLine("|---|---|---|");
        Row(s, "recorder CPU per camera", $"{m.CpuPercentPerCamera:0.00} % of a core", $"measured {m.Measured.CpuPercentPerCamera.Value:0.000} % at {m.Measured.RecordedBitrateMbps.Value:0.#} Mbit/s with {m.Measured.RecordedSegmentSeconds.Value:0} s segments, scaled to {a.BitrateMbps:0.#} Mbit/s (an upper bound: {a.SegmentSeconds:0} s segments do the per-segment work less often)");
        Row(s, "recorder memory per camera", $"{m.MemoryMbPerCamera:0.0} MB", "its ffmpeg + the server's own share");
        Row(s, "cameras per recorder host", $"{m.CamerasPerHost:0} (limit: {m.HostLimit})",
            $"CPU {Math.Floor(m.CamerasPerHostByCpu):0}, memory {Math.Floor(m.CamerasPerHostByMemory):0}, network {Math.Floor(m.CamerasPerHostByNetwork):0} at {a.TargetUtilisation * 100:0} % of an {a.HostCores}-core, {a.HostMemoryGb:0} GB, {a.HostNicGbps:0} Gbit/s host");
        Row(s, "**recorders needed**", $"**{m.Recorders}, {m.RecordersWithSpare} with a spare**",
            $"with the spare each holds at most {m.CamerasPerRecorder:0} cameras (the leases' fair share) and the others absorb a dead or drained one");
        Row(s, "spool per recorder", Bytes(m.SpoolBytesPerRecorder), "two open segments per camera of a recorder without the spare (an hour of storage outage)");
        Row(s, "footage ingest", $"{m.IngestGbps:0.00} Gbit/s", "cameras to recorders, and again recorders to the object store");
        Row(s, "footage per day / kept", $"{Bytes(m.FootageBytesPerDay)} / {Bytes(m.FootageBytesKept)}", $"{a.RetentionDays} days");
        Row(s, "catalog rows (segments)", $"{m.SegmentsPerDay:N0} a day, {m.SegmentRows:N0} kept", "one row per segment");
        Row(s, "catalog bytes per row", $"{m.CatalogBytesPerRow / 1024:0.0} KB",
            $"{m.Measured.HeapAndIndexBytesPerRow.Value:0} B of table and indexes + {m.KeyframeBytesPerRow / 1024:0.0} KB of key-frame index ({a.SegmentSeconds / a.KeyframeSeconds:0} entries)");
        Row(s, "**catalog size**", $"**{Bytes(m.CatalogBytes)}**, growing {Bytes(m.CatalogBytes / a.RetentionDays)} a day until the retention is reached", "");
        Row(s, "thumbnail rows and JPEGs", $"{m.ThumbnailRows:N0}, {Bytes(m.ThumbnailBytes)}", $"{m.ThumbnailsPerDay:N0} a day, kept {a.ThumbnailDays} days");
        Row(s, "objects in the object store", $"{m.Objects:N0}", $"segments + thumbnails; {m.ObjectWritesPerSecond:0.00} writes/s");
        Row(s, "segment registrations", $"{m.RegistrationsPerSecond:0.000}/s",
            $"{m.Measured.RegistrationsPerSecondOneClient.Value:0}/s measured for one client: enough for {m.CamerasByRegistration:N0} cameras");
        Row(s, "worst boundary burst", $"{m.BoundaryBurstSeconds:0.0} s", $"all {a.Cameras} segments closing in the same second, at the 8-client rate");
        Row(s, "lease traffic", $"{m.LeaseStatementsPerSecond:0.0} statements/s, {m.LeaseRowsReadPerSecond:N0} rows read/s, {m.HealthReportsPerSecond:0} camera health reports/s",
            $"{m.RecordersWithSpare} recorders, a round every {a.LeaseRenewSeconds:0} s; each holder reports every camera it holds once a round (docs/recording.md)");
        s.AppendLine();

        s.AppendLine("**Where the first bottleneck is.** " + Bottleneck(m));
        s.AppendLine();
        return s.ToString();
    }

    private static string Bottleneck(CapacityModel m)
    {
        var a = m.Ask;
        var shared = new (string Part, double Cameras)[]
        {
            ("segment registration through one Storage API client", m.CamerasByRegistration),
        };
        var first = shared.MinBy(x => x.Cameras);
        return $"The recorder host's {m.HostLimit}: at {m.CpuPercentPerCamera:0.00} % of a core per camera an {a.HostCores}-core host is full "
               + $"at {m.CamerasPerHost:0} cameras, so {a.Cameras} cameras need {m.Recorders} recorder{(m.Recorders == 1 ? "" : "s")} ({m.RecordersWithSpare} with a spare). "
               + "Recorders scale out through the leases, so this limit is the cost per camera, not a ceiling. "
               + $"The shared parts are far from theirs: the catalog takes {m.RegistrationsPerSecond:0.000} registrations/s where one API client "
               + $"does {m.Measured.RegistrationsPerSecondOneClient.Value:0}/s ({first.Part} would limit at about {first.Cameras:N0} cameras), "
               + $"and holds {Bytes(m.CatalogBytes)}, most of it the key-frame indexes. "
               + $"What grows with the cameras outside Footage is the object store and the network: {m.IngestGbps:0.00} Gbit/s in and "
               + $"{Bytes(m.FootageBytesKept)} kept, which is where a deployment of this size spends its money.";
    }

    private static void Table(StringBuilder s, IEnumerable<Figure> figures)
    {
        s.AppendLine("| input | value | source |");
        s.AppendLine("|---|---|---|");
        foreach (var f in figures)
        {
            var value = f.Value >= 1000 ? f.Value.ToString("N0", CultureInfo.InvariantCulture) : f.Value.ToString("0.###", CultureInfo.InvariantCulture);
            s.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {value} {f.Unit} | {f.Source} |");
        }

        s.AppendLine();
    }

    private static void Row(StringBuilder s, string what, FormattableString figure, FormattableString how) =>
        s.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {figure.ToString(CultureInfo.InvariantCulture)} | {how.ToString(CultureInfo.InvariantCulture)} |");

    private static void Row(StringBuilder s, string what, string figure, string how) =>
        s.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {figure} | {how} |");

    private static string Bytes(double bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        var unit = 0;
        while (bytes >= 1000 && unit < units.Length - 1)
        {
            bytes /= 1000;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes:0.##} {units[unit]}");
    }
}

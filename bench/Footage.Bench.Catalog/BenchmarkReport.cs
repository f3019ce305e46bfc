using System.Globalization;
using System.Text;

namespace Footage.Bench.Catalog;

/// <summary>The results as a console table and as the markdown section of docs/benchmarks.md.</summary>
public static class BenchmarkReport
{
    public const string SectionPrefix = "## Segments catalog (PostgreSQL";

    /// <summary>The indexes the list query is meant to use (see StorageMigrations).</summary>
    private static readonly string[] ListIndexes = ["idx_segments_camera_time", "ux_segments_camera_start"];

    /// <summary>What the recorder needs: every camera registers one hourly segment per hour.</summary>
    public static double NeededPerSecond(BenchOptions options) => options.Cameras / 3600.0;

    public static string Tables(BenchmarkResults r)
    {
        var text = new StringBuilder();
        text.AppendLine("Registrations (each with a 1,800-entry key-frame index)");
        text.AppendLine();
        text.AppendLine("| Operation | Path | Writers | Count | Per second | p50 ms | p99 ms | max ms |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var m in r.Registrations)
        {
            text.AppendLine(Inv($"| {m.Name} | {m.Path} | {m.Workers} | {m.Operations:N0} | {m.PerSecond:N0} | {m.P50:N2} | {m.P99:N2} | {m.Max:N2} |"));
        }

        text.AppendLine();
        text.AppendLine("List one camera-day (from/to of one UTC day: 24 segments)");
        text.AppendLine();
        text.AppendLine("| Case | Path | Clients | Samples | p50 ms | p99 ms | max ms | Per second |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var m in r.Lists)
        {
            text.AppendLine(Inv($"| {m.Name} | {m.Path} | {m.Workers} | {m.Operations:N0} | {m.P50:N2} | {m.P99:N2} | {m.Max:N2} | {m.PerSecond:N0} |"));
        }

        return text.ToString();
    }

    public static string Section(BenchmarkResults r)
    {
        var o = r.Options;
        var needed = NeededPerSecond(o);
        var text = new StringBuilder();
        text.AppendLine($"{SectionPrefix}, {RowCount(r.Rows)})");
        text.AppendLine();
        text.AppendLine("```sh");
        text.AppendLine(r.Command);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine(Inv($"Run {r.RunAt:yyyy-MM-dd HH:mm} UTC. `--quick` does the same with 20 cameras x 3 days as a smoke run and writes no document unless given `--doc FILE`."));
        text.AppendLine();
        text.AppendLine("**Machine.** " + MachineFacts.Describe() +
                        Inv($". The machine is shared with other builds and tests: the 1-minute load average was {r.LoadAverageAtStart} when the measurements started and {r.LoadAverageAtEnd} at the end, on {Environment.ProcessorCount} cores, so the figures are noisy and on the low side."));
        text.AppendLine();
        text.AppendLine(Inv($"**PostgreSQL.** {r.PostgresVersion}, started by the test fixture (`PostgresServer` in tests/Footage.Testing) in a temp folder with `{Settings(r)}`. ") +
                        "fsync, synchronous_commit and full_page_writes off mean a commit does not wait for its WAL to reach the disk: a single writer's registration rate and the registration latencies are therefore better than on a production server with durable commits, where each commit also waits for a WAL flush (typically 0.1 to a few ms on an SSD). Concurrent writers hide much of that behind group commit; listings are reads and are not affected.");
        text.AppendLine();
        text.AppendLine(Inv($"**Data.** {r.Rows:N0} segment rows: {o.Cameras} cameras x {o.Days} days x 24 hourly segments, written in arrival order (hour by hour, every camera in each hour) so that one camera-day lies on 24 different heap pages as in production. ") +
                        "Values are what the recorder registers: one-hour MPEG-TS files (duration 3,600 s) of 2 Mbit/s cameras, sizes 855 to 945 MB, storage paths from `ObjectKeys.ForSegment`, SHA-256 checksums, backend `filesystem`, `created_at` a few seconds after the end. " +
                        Inv($"Key-frame index: 1,800 entries (a key frame every 2 s), about {r.KeyframeJsonLength / 1024.0:N0} KB of JSON per segment, on the rows of the newest {o.KeyframeDays} day(s) ({r.KeyframeRows:N0} rows) and on every registration measured below; the older rows have none, to keep the load at a few GB on a shared disk. ") +
                        "PostgreSQL keeps such values out of line (TOAST), so the heap row and the list query, which does not select the index, are the same with or without it.");
        text.AppendLine();
        text.AppendLine(Inv($"**Load.** Real migrations (`MigrationRunner` with `SharedMigrations` and `StorageMigrations`, as the host applies them), then binary COPY into the indexed table (all six indexes in place): {r.Rows:N0} rows in {r.CopyElapsed.TotalSeconds:N1} s = **{r.CopyRowsPerSecond:N0} rows/s** overall; the {r.Rows - r.KeyframeRows:N0} rows without a key-frame index went in at **{r.CopyRowsWithoutKeyframesPerSecond:N0} rows/s**, the {r.KeyframeRows:N0} with one (about {r.KeyframeJsonLength / 1024.0:N0} KB of JSON each, compressed into TOAST) at {r.CopyRowsWithKeyframesPerSecond:N0} rows/s ({r.CopyRowsWithKeyframesPerSecond * r.KeyframeJsonLength / 1e6:N0} MB/s of JSON); `VACUUM (ANALYZE)` afterwards {r.VacuumElapsed.TotalSeconds:N1} s (what autovacuum does in steady state). Size after the load: {r.SizeAfterLoad}; at the end: {r.SizeAtEnd}."));
        text.AppendLine();
        text.AppendLine(Inv($"**Method.** Registrations continue the same {o.Cameras} cameras' timelines after the loaded days, in the recorder's order (every camera's hour, then the next hour), on top of the loaded rows. ") +
                        "*repository* is `SegmentRepository.RegisterAsync` (the `ISegmentCatalog` the recorder uses in process) with its own connection pool; *HTTP API* is `POST /api/v1/storage/segments` on the real host (`FootageServer` from tests/Footage.Testing: Kestrel, API-key auth, validation, the backend check that the object exists with that size) against the same database. " +
                        "For the API each object is first made as a sparse file of the registered size in the filesystem backend (untimed), since the API refuses to catalog an object that is not stored. " +
                        "*same segment again* re-registers segments already registered (the recorder's retry after a lost answer): the insert conflicts and the existing row, key-frame index included, is read back and compared. " +
                        "Listings ask for one UTC day of one camera (24 segments) with from/to, on random camera-days of the whole range; each one checks it got 24 segments. " +
                        "*cold* is the first touch of distinct camera-days right after a restart of PostgreSQL (empty shared buffers; the OS page cache is not dropped, so pages come from memory, not disk); *warm* repeats random camera-days of the cold set. " +
                        "*with key-frame indexes* lists camera-days of the newest days with `include=keyframes` (the playback path), reading and parsing 24 x 1,800 entries.");
        text.AppendLine();
        text.Append(Tables(r));
        text.AppendLine();
        text.AppendLine("**Query plan.** `EXPLAIN (ANALYZE, BUFFERS)` of the list query as `SegmentRepository.ListAsync` builds it for a from/to request, right after the load, for a random camera-day:");
        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine(r.ListPlan);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("and for the same camera on the newest loaded day (where `end_time > from` alone is selective, so the planner may also consider `idx_segments_end_time`):");
        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine(r.ListPlanNewestDay);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine(PlanVerdict(r));
        text.AppendLine();
        text.AppendLine("**What it means.** " + Interpretation(r, needed));
        return text.ToString();
    }

    public static string PlanVerdict(BenchmarkResults r)
    {
        var text = new StringBuilder();
        foreach (var (which, plan) in new[] { ("a random camera-day", r.ListPlan), ("the newest day", r.ListPlanNewestDay) })
        {
            var used = ListIndexes.Where(i => plan.Contains(i, StringComparison.Ordinal)).ToArray();
            var nodes = plan.Split('\n').Select(l => l.Trim().TrimStart('-', '>', ' ').Split("  ")[0])
                .Where(l => l.Contains("Scan", StringComparison.Ordinal) || l.StartsWith("BitmapAnd", StringComparison.Ordinal));
            text.Append(used.Length > 0
                ? $"For {which} the plan reads `{string.Join("` and `", used)}` ({string.Join(", ", nodes.Select(n => $"`{n}`"))}) with camera_id and the start_time bounds as index condition" +
                  (plan.Contains("Seq Scan", StringComparison.Ordinal) ? "; it also has a sequential scan. " : "; there is no sequential scan. ")
                : $"WARNING: for {which} the plan uses neither idx_segments_camera_time nor ux_segments_camera_start. ");
        }

        var scans = string.Join(", ", r.ListIndexScans.Where(kv => kv.Value > 0).Select(kv => Inv($"`{kv.Key}` {kv.Value:N0}")));
        var listings = r.Lists.Where(m => m.Path == "repository").Sum(m => m.Operations);
        var cameraFirst = ListIndexes.Sum(i => r.ListIndexScans.GetValueOrDefault(i));
        text.Append(Inv($"Index scans counted by PostgreSQL (`pg_stat_user_indexes`) while the {listings:N0} repository listings above ran: {(scans.Length > 0 ? scans : "none")}"));
        text.Append(cameraFirst == listings
            ? "; the scans of the two camera-first indexes add up to the number of listings, so every listing went through one of them (a scan of idx_segments_end_time in the same listing can only have been ANDed with one of them in a bitmap), never through a sequential scan."
            : ".");
        return text.ToString();
    }

    private static string Interpretation(BenchmarkResults r, double needed)
    {
        var o = r.Options;
        Measurement? Find(string name, string path, int workers) =>
            r.Registrations.FirstOrDefault(m => m.Name == name && m.Path == path && m.Workers == workers);
        var repoSingle = Find("new segment", "repository", 1);
        var repoMany = Find("new segment", "repository", o.Writers);
        var apiSingle = Find("new segment", "HTTP API", 1);
        var apiMany = Find("new segment", "HTTP API", o.Writers);
        var apiWarm = r.Lists.FirstOrDefault(m => m.Name == "camera-day, warm" && m.Path == "HTTP API" && m.Workers == 1);
        var apiCold = r.Lists.FirstOrDefault(m => m.Name == "camera-day, cold" && m.Path == "HTTP API");
        var text = new StringBuilder();
        text.Append(Inv($"The recorder registers one segment per camera per hour: {o.Cameras} cameras make {o.Cameras} registrations an hour, {needed:0.00}/s. "));
        if (repoSingle is not null && repoMany is not null)
        {
            text.Append(Inv($"One writer through the repository registers {repoSingle.PerSecond:N0}/s, about {repoSingle.PerSecond / needed:N0} times that; {o.Writers} writers {repoMany.PerSecond:N0}/s. "));
        }

        if (apiSingle is not null && apiMany is not null)
        {
            text.Append(Inv($"Through the HTTP API, with auth, validation and the object check, one client does {apiSingle.PerSecond:N0}/s ({apiSingle.PerSecond / needed:N0} times the need) and {o.Writers} clients {apiMany.PerSecond:N0}/s. "));
        }

        text.Append(Inv($"Even the hour boundary, when all {o.Cameras} cameras close a file within a few seconds, is a burst the slowest path above absorbs in about {o.Cameras / Math.Max(1, apiSingle?.PerSecond ?? repoSingle?.PerSecond ?? 1):N1} s with a single client. "));
        text.Append("The catalog is not what limits the number of cameras; durable commits on a production server lower the single-writer figures, not by orders of magnitude. ");
        if (apiWarm is not null && apiCold is not null)
        {
            text.Append(Inv($"A timeline request for one camera-day answers in {apiWarm.P50:N1} ms (p50) and {apiWarm.P99:N1} ms (p99) warm, {apiCold.P50:N1} / {apiCold.P99:N1} ms on first touch after a restart, with {RowCount(r.Rows)} in the table: "));
            text.Append("the list query reads only that camera's index range, so its cost hardly grows with the number of cameras or days kept (only the depth of the B-tree does, logarithmically). ");
        }

        if (r.Lists.FirstOrDefault(m => m.Name == "camera-day with key-frame indexes") is { } withIndexes)
        {
            text.Append(Inv($"Asking for the key-frame indexes too (`include=keyframes`) costs {withIndexes.P50:N1} ms (p50) and {withIndexes.P99:N1} ms (p99) for a day: "));
            text.Append(Inv($"24 out-of-line values to read and about {24 * r.KeyframeJsonLength / 1024:N0} KB of JSON to parse, so playback should ask for the indexes of the segments it is about to play rather than of a whole day."));
        }

        return text.ToString();
    }

    /// <summary>Replaces this benchmark's section of the document (or appends it), leaving other sections alone.</summary>
    public static async Task WriteAsync(string path, string section, CancellationToken cancellationToken)
    {
        var existing = File.Exists(path)
            ? await File.ReadAllTextAsync(path, cancellationToken)
            : "# Benchmarks\n\nFigures measured on real servers. Each section says how to reproduce it, on which machine, and what it means.\n";
        var start = existing.IndexOf(SectionPrefix, StringComparison.Ordinal);
        string updated;
        if (start < 0)
        {
            updated = existing.TrimEnd() + "\n\n" + section;
        }
        else
        {
            var end = existing.IndexOf("\n## ", start + SectionPrefix.Length, StringComparison.Ordinal);
            updated = existing[..start] + section + (end < 0 ? "" : "\n" + existing[(end + 1)..]);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, updated.Replace("\r\n", "\n", StringComparison.Ordinal), cancellationToken);
    }

    private static string RowCount(long rows) =>
        rows >= 1_000_000 ? Inv($"{rows / 1e6:0.00} M rows") : Inv($"{rows:N0} rows");

    private static string Settings(BenchmarkResults r) => string.Join(", ", r.PostgresSettings.Select(s => $"{s.Name}={s.Value}"));

    private static string Inv(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Footage.Bench.Results;

/// <summary>
/// <c>bench/{project}/results.json</c>: a benchmark's runs, oldest first, each with when it was measured, on what and how
/// (<c>measured_at</c>, <c>conditions</c>, <c>command</c>) and its figures. A run appends itself; the file is committed with the
/// figures it holds, and the capacity model reads its inputs from these files rather than from prose.
/// </summary>
public static class BenchResults
{
    public const string FileName = "results.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string PathOf(string benchProject) => Path.Combine(RepositoryRoot(), "bench", benchProject, FileName);

    /// <summary>Adds the run to the bench's file (creating it) and returns the file's path.</summary>
    public static async Task<string> AppendAsync(string benchProject, JsonObject run, CancellationToken cancellationToken = default)
    {
        var path = PathOf(benchProject);
        var root = File.Exists(path)
            ? JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))?.AsObject() ?? new JsonObject()
            : new JsonObject { ["bench"] = benchProject };
        if (root["runs"] is not JsonArray runs)
        {
            runs = [];
            root["runs"] = runs;
        }

        runs.Add(run);
        await File.WriteAllTextAsync(path, root.ToJsonString(Indented) + "\n", cancellationToken);
        return path;
    }

    /// <summary>The machine a run was measured on: cores, CPU, memory, OS, .NET, and the 1-minute load when asked.</summary>
    public static JsonObject Conditions(string? notes = null)
    {
        var conditions = new JsonObject
        {
            ["machine"] = $"{CpuModel()}, {MemoryGib():0.0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            ["cores"] = Environment.ProcessorCount,
            ["load_1min"] = LoadAverage(),
        };
        if (notes is not null)
        {
            conditions["notes"] = notes;
        }

        return conditions;
    }

    public static double? LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load)
            ? load
            : null;

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : RuntimeInformation.ProcessArchitecture.ToString();

    /// <summary>The folder holding Footage.slnx, above the bench's binaries.</summary>
    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Footage.slnx")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Footage.slnx not found above " + AppContext.BaseDirectory);
    }

    private static double MemoryGib() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024;
}

using Footage.Bench.Capacity;

// dotnet run -c Release --project bench/Footage.Bench.Capacity -- [--cameras 500] [--bitrate 4] [--days 90] [--host-cores 8] ...
//   [--results bench]           reads the measured figures from the benches' results files under that folder (default: the repository's)
//   [--doc docs/benchmarks.md]  with --write, the file whose "Capacity model" section is replaced (or added)
//   [--write]                   also writes that section
var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
var write = false;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--write")
    {
        write = true;
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i][2..]] = args[++i];
    }
    else
    {
        Console.Error.WriteLine($"unknown argument {args[i]}");
        return 2;
    }
}

var doc = options.TryGetValue("doc", out var path) ? path : Path.Combine(FindRoot(), "docs", "benchmarks.md");
var results = options.TryGetValue("results", out var folder) ? folder : Path.Combine(FindRoot(), "bench");
var model = new CapacityModel(MeasuredFigures.Read(results), Assumptions.Parse(options));
var command = "dotnet run -c Release --project bench/Footage.Bench.Capacity --"
              + string.Concat(options.Where(o => o.Key is not ("doc" or "results")).Select(o => $" --{o.Key} {o.Value}")) + (write ? " --write" : "");
var section = Report.Markdown(model, command);
Console.Write(section);
if (write)
{
    var markdown = await File.ReadAllTextAsync(doc);
    var start = markdown.IndexOf("\n" + Report.Heading, StringComparison.Ordinal);
    string updated;
    if (start < 0)
    {
        updated = markdown.TrimEnd() + "\n\n" + section;
    }
    else
    {
        var end = markdown.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        updated = markdown[..(start + 1)] + section + (end < 0 ? "" : markdown[(end + 1)..]);
    }

    await File.WriteAllTextAsync(doc, updated.TrimEnd() + "\n");
    Console.Error.WriteLine($"written to {doc}");
}

return 0;

static string FindRoot()
{
    var folder = new DirectoryInfo(AppContext.BaseDirectory);
    while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Footage.slnx")))
    {
        folder = folder.Parent;
    }

    return folder?.FullName ?? Directory.GetCurrentDirectory();
}

using Footage.Bench.Capacity;

// dotnet run -c Release --project bench/Footage.Bench.Capacity -- [--cameras 500] [--bitrate 4] [--days 90] [--host-cores 8] ...
//   [--doc docs/benchmarks.md]  reads the measured figures from that file (default: the repository's)
//   [--write]                   also replaces (or adds) the "Capacity model" section of that file
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
var markdown = await File.ReadAllTextAsync(doc);
var model = new CapacityModel(MeasuredFigures.Read(markdown), Assumptions.Parse(options));
var command = "dotnet run -c Release --project bench/Footage.Bench.Capacity --"
              + string.Concat(options.Where(o => o.Key != "doc").Select(o => $" --{o.Key} {o.Value}")) + (write ? " --write" : "");
var section = Report.Markdown(model, command);
Console.Write(section);
if (write)
{
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

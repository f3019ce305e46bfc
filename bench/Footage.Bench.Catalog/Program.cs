using Footage.Bench.Catalog;
using Footage.Testing;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args, RepositoryPaths.Root);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // let the benchmark unwind so that PostgreSQL is stopped and its folder removed
    e.Cancel = true;
    stop.Cancel();
};

var command = "dotnet run -c Release --project bench/Footage.Bench.Catalog --" +
              (args.Length == 0 ? $" --cameras {options.Cameras} --days {options.Days}" : " " + string.Join(' ', args));
var results = new BenchmarkResults { Options = options, Command = command, RunAt = TimeProvider.System.GetUtcNow() };
await new CatalogBenchmark(options, results).RunAsync(stop.Token);

Console.WriteLine();
Console.WriteLine($"Segments catalog on PostgreSQL {results.PostgresVersion}: {results.Rows:N0} rows loaded by COPY at {results.CopyRowsPerSecond:N0} rows/s");
Console.WriteLine(BenchmarkReport.Tables(results));
Console.WriteLine(BenchmarkReport.PlanVerdict(results));
if (!options.Quick)
{
    Console.WriteLine($"Appended to {await ResultsFile.AppendAsync(results, stop.Token)}");
}

if (options.DocPath is { } doc)
{
    await BenchmarkReport.WriteAsync(doc, BenchmarkReport.Section(results), stop.Token);
    Console.WriteLine($"Wrote {doc}");
}

return 0;

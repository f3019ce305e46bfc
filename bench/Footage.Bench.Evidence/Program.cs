using System.Globalization;
using Footage.Bench.Evidence;

// dotnet run -c Release --project bench/Footage.Bench.Evidence -- [--megabytes 1024] [--requests 400]
var megabytes = 1024;
var requests = 400;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--megabytes": megabytes = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--requests": requests = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; use --megabytes N --requests N");
            return 2;
    }
}

Console.WriteLine($"Machine: {Machine.Describe()}; load average at start {Machine.LoadAverage()}");
Console.WriteLine(await PackageBenchmark.RunAsync(megabytes));
Console.WriteLine(await AccessAuditBenchmark.RunAsync(requests));
Console.WriteLine($"Load average at the end {Machine.LoadAverage()}");
return 0;

using Footage.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;

namespace Footage.Server.Repair;

/// <summary>
/// <c>dotnet Footage.Server.dll repair register-orphans [--dry-run] [settings...]</c>: runs the repair against the database
/// and backends the settings name (the Storage service's), prints one line per object and a summary, and exits.
/// </summary>
public static class RepairCommand
{
    public const string Usage = "usage: Footage.Server repair register-orphans [--dry-run] [--Footage:...=... settings of the Storage service]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        if (args is not ["register-orphans", ..])
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        var dryRun = args.Contains("--dry-run", StringComparer.Ordinal);
        var settings = args[1..].Where(a => a != "--dry-run").Append("--Footage:Modules=storage").ToArray();
        await using var app = FootageHost.Build(settings);
        await app.PrepareDatabaseAsync(cancellationToken);
        var repair = ActivatorUtilities.CreateInstance<OrphanRepair>(app.Services, output);
        var report = await repair.RunAsync(dryRun, cancellationToken);
        await output.WriteLineAsync($"{(dryRun ? "dry run: " : string.Empty)}{report}");
        return 0;
    }
}

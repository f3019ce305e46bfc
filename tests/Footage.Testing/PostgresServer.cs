using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Npgsql;
using Xunit;

namespace Footage.Testing;

/// <summary>
/// A real PostgreSQL server (the OS's) started in a temp folder on a free port of 127.0.0.1 for the test
/// run, and stopped after it. PostgreSQL refuses to run as root, so as root it runs as the 'postgres' user.
/// Each test class makes its own database with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"footage-pg-{Guid.NewGuid():N}");
    private string _bin = "";

    public int Port { get; private set; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=footage;Database=postgres;Pooling=false;Timeout=15";

    public string ConnectionStringFor(string database) => $"Host=127.0.0.1;Port={Port};Username=footage;Database={database};Timeout=15";

    public async ValueTask InitializeAsync()
    {
        _bin = FindBinFolder();
        Port = FreePort.Next();
        Directory.CreateDirectory(_folder);
        var data = Path.Combine(_folder, "data");
        if (IsRoot)
        {
            await Cli.Wrap("chown").WithArguments(["-R", "postgres:postgres", _folder]).ExecuteBufferedAsync();
        }

        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "footage", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        await RunAsync(Path.Combine(_bin, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", ServerOptions,
            "start",
        ]);
    }

    /// <summary>Durability is off (fsync, synchronous_commit, full_page_writes): fast tests, and data that a crash of the machine may lose.</summary>
    public static string Settings => "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB";

    /// <summary>
    /// With PostgreSQL's own durability (fsync, synchronous commit): a crash (<see cref="StopAsync"/>) keeps every
    /// committed transaction, as in production. Fault tests that count what survives a crash need it: without it a
    /// commit acknowledged just before the crash can vanish.
    /// </summary>
    public bool Durable { get; init; }

    private string ServerOptions => $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 {(Durable ? "-c max_connections=300" : Settings)}";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server abruptly (a crash or an outage) until <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);

    public Task StartAgainAsync() => RunAsync(Path.Combine(_bin, "pg_ctl"),
    [
        "-D", Path.Combine(_folder, "data"), "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
        "-o", ServerOptions,
        "start",
    ]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception)
        {
            // already stopped
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task RunAsync(string tool, IReadOnlyList<string> arguments)
    {
        var command = IsRoot
            ? Cli.Wrap("runuser").WithArguments(["-u", "postgres", "--", tool, .. arguments])
            : Cli.Wrap(tool).WithArguments(arguments);
        var result = await command.WithValidation(CommandResultValidation.None).WithWorkingDirectory(Path.GetTempPath()).ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        }
    }

    private static string FindBinFolder()
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); the test command installs it.");
    }
}

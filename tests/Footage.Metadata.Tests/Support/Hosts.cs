using Footage.Testing;
using Xunit;

namespace Footage.Metadata.Tests.Support;

/// <summary>
/// One real host per test class and database, started on first use and shared by the class's tests
/// (each test makes its own cameras, tags and incidents, so they never see each other's data).
/// </summary>
public class Hosts(PostgresServer postgres) : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<DatabaseKind, FootageServer> _servers = [];

    protected virtual IDictionary<string, string?>? Settings => null;

    public PostgresServer Postgres => postgres;

    public async Task<FootageServer> GetAsync(DatabaseKind kind)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_servers.TryGetValue(kind, out var server))
            {
                server = await FootageServer.StartAsync(kind, postgres, Settings);
                _servers[kind] = server;
            }

            return server;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }

        _gate.Dispose();
        GC.SuppressFinalize(this);
    }
}

using Xunit;

namespace Footage.Testing;

/// <summary>
/// One server for every test of a class (a class fixture), for test classes whose tests each work on cameras of their
/// own and read back only what they made: starting a server per test was most of such a class's time.
/// </summary>
public abstract class SharedFootageServer(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    public FootageServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await FootageServer.StartAsync(database, postgres);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>The host on defaults serving the built UI (web/dist), started once for a class whose tests only read from it.</summary>
public sealed class UiServer : IAsyncLifetime
{
    public FootageServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
    {
        ["Footage:Web:Root"] = Path.Combine(RepositoryPaths.Root, "web", "dist"),
    });

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

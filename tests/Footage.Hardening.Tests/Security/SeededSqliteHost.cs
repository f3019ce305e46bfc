using Footage.Hardening.Tests.BadInput;
using Footage.Testing;
using Xunit;

namespace Footage.Hardening.Tests.Security;

/// <summary>The hardening host with its seeded camera, footage and export on SQLite, started once for a class whose tests only read from it.</summary>
public sealed class SeededSqliteHost : IAsyncLifetime
{
    public HardeningHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await HardeningHost.StartAsync(DatabaseKind.Sqlite, null);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

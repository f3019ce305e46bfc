using System.Data.Common;
using Npgsql;

namespace Footage.Data;

public sealed class PostgresDatabase : IDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString, int commandTimeoutSeconds)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = commandTimeoutSeconds };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        Description = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public SqlDialect Dialect => PostgresDialect.Instance;

    public string Description { get; }

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

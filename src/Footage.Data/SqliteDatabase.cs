using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Footage.Data;

/// <summary>
/// The embedded default. WAL lets readers go on while one writer writes; the command timeout doubles as
/// the busy timeout, so concurrent writers wait for each other instead of failing.
/// </summary>
public sealed class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string connectionString, int commandTimeoutSeconds)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            DefaultTimeout = commandTimeoutSeconds,
            Pooling = true,
        };
        _connectionString = builder.ConnectionString;
        Description = $"sqlite://{builder.DataSource}";
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    public SqlDialect Dialect => SqliteDialect.Instance;

    public string Description { get; }

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}

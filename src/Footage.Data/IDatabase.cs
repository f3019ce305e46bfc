using System.Data.Common;

namespace Footage.Data;

/// <summary>The catalog database: opens connections and says which dialect they speak.</summary>
public interface IDatabase
{
    SqlDialect Dialect { get; }

    /// <summary>A description safe for logs and health output (no password).</summary>
    string Description { get; }

    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

namespace Footage.Testing;

/// <summary><see cref="SharedFootageServer"/> on SQLite.</summary>
public sealed class SharedSqliteServer(PostgresServer postgres) : SharedFootageServer(DatabaseKind.Sqlite, postgres);

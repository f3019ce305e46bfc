namespace Footage.Testing;

/// <summary><see cref="SharedFootageServer"/> on PostgreSQL (a database of its own on the assembly's server).</summary>
public sealed class SharedPostgresServer(PostgresServer postgres) : SharedFootageServer(DatabaseKind.Postgres, postgres);

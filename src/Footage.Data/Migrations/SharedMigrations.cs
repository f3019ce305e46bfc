namespace Footage.Data.Migrations;

/// <summary>Tables of the data layer itself, used by every module: job leases.</summary>
public sealed class SharedMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("shared", 1, "job leases",
            """
            CREATE TABLE job_leases (
                name VARCHAR(100) PRIMARY KEY,
                holder VARCHAR(200) NOT NULL,
                expires_at TIMESTAMP WITH TIME ZONE NOT NULL
            );
            """,
            """
            CREATE TABLE job_leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at INTEGER NOT NULL
            );
            """),
    ];
}

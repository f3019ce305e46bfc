using Footage.Data.Migrations;

namespace Footage.ServiceDefaults.Auth;

public sealed class IdentityMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("identity", 1, "api keys",
            """
            CREATE TABLE api_keys (
                id UUID PRIMARY KEY,
                name VARCHAR(100) NOT NULL UNIQUE,
                key_hash CHAR(64) NOT NULL UNIQUE,
                role VARCHAR(20) NOT NULL,
                created_by VARCHAR(255) NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
                last_used_at TIMESTAMPTZ,
                revoked_at TIMESTAMPTZ
            );
            """,
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                key_hash TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                last_used_at INTEGER,
                revoked_at INTEGER
            );
            """),
    ];
}

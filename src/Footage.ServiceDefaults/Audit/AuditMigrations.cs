using Footage.Data.Migrations;

namespace Footage.ServiceDefaults.Audit;

public sealed class AuditMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("audit", 1, "audit log of changes",
            """
            CREATE TABLE audit_log (
                id UUID PRIMARY KEY,
                occurred_at TIMESTAMPTZ NOT NULL,
                actor VARCHAR(255) NOT NULL,
                role VARCHAR(20),
                key_id VARCHAR(64),
                method VARCHAR(10) NOT NULL,
                route VARCHAR(500) NOT NULL,
                path VARCHAR(2000) NOT NULL,
                status INTEGER NOT NULL,
                remote_ip VARCHAR(64)
            );
            CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at);
            """,
            """
            CREATE TABLE audit_log (
                id TEXT PRIMARY KEY,
                occurred_at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                role TEXT,
                key_id TEXT,
                method TEXT NOT NULL,
                route TEXT NOT NULL,
                path TEXT NOT NULL,
                status INTEGER NOT NULL,
                remote_ip TEXT
            );
            CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at);
            """),
    ];
}

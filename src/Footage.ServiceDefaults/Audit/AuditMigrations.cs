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
        new("audit", 2, "refused attempts in the audit log",
            """
            ALTER TABLE audit_log ADD COLUMN outcome VARCHAR(10) NOT NULL DEFAULT 'changed';
            ALTER TABLE audit_log ADD COLUMN reason VARCHAR(200);
            ALTER TABLE audit_log ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE audit_log ADD COLUMN last_at TIMESTAMPTZ;
            CREATE INDEX audit_log_outcome_occurred_at ON audit_log (outcome, occurred_at);
            """,
            """
            ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'changed';
            ALTER TABLE audit_log ADD COLUMN reason TEXT;
            ALTER TABLE audit_log ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE audit_log ADD COLUMN last_at INTEGER;
            CREATE INDEX audit_log_outcome_occurred_at ON audit_log (outcome, occurred_at);
            """),
        new("audit", 3, "footage accesses in the audit log",
            """
            ALTER TABLE audit_log ADD COLUMN access VARCHAR(20);
            ALTER TABLE audit_log ADD COLUMN camera_id UUID;
            ALTER TABLE audit_log ADD COLUMN range_start TIMESTAMPTZ;
            ALTER TABLE audit_log ADD COLUMN range_end TIMESTAMPTZ;
            CREATE INDEX audit_log_camera_range ON audit_log (camera_id, range_start) WHERE camera_id IS NOT NULL;
            """,
            """
            ALTER TABLE audit_log ADD COLUMN access TEXT;
            ALTER TABLE audit_log ADD COLUMN camera_id TEXT;
            ALTER TABLE audit_log ADD COLUMN range_start INTEGER;
            ALTER TABLE audit_log ADD COLUMN range_end INTEGER;
            CREATE INDEX audit_log_camera_range ON audit_log (camera_id, range_start) WHERE camera_id IS NOT NULL;
            """),
    ];
}

using Footage.Data.Migrations;

namespace Footage.Storage.Clips;

/// <summary>The <c>clips</c> table: incident clips and, once deleted, who deleted them and why.</summary>
public sealed class ClipMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("clips", 1, "incident clips",
            """
            CREATE TABLE clips (
                id UUID PRIMARY KEY,
                incident_id UUID NOT NULL,
                camera_ids UUID[] NOT NULL,
                start_time TIMESTAMP WITH TIME ZONE NOT NULL,
                end_time TIMESTAMP WITH TIME ZONE NOT NULL,
                margin_seconds INTEGER NOT NULL,
                reason TEXT NOT NULL,
                status VARCHAR(20) NOT NULL,
                storage_backend VARCHAR(50),
                file_path TEXT,
                manifest_path TEXT,
                file_size BIGINT,
                checksum VARCHAR(64),
                manifest_sha256 VARCHAR(64),
                signing_key_sha256 VARCHAR(64),
                created_by VARCHAR(255) NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL,
                completed_at TIMESTAMP WITH TIME ZONE,
                heartbeat_at TIMESTAMP WITH TIME ZONE,
                error TEXT,
                deleted_by VARCHAR(255),
                deleted_at TIMESTAMP WITH TIME ZONE,
                delete_reason TEXT
            );
            CREATE INDEX idx_clips_incident ON clips(incident_id, created_at);
            CREATE INDEX idx_clips_status ON clips(status);
            """,
            """
            CREATE TABLE clips (
                id TEXT PRIMARY KEY,
                incident_id TEXT NOT NULL,
                camera_ids TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER NOT NULL,
                margin_seconds INTEGER NOT NULL,
                reason TEXT NOT NULL,
                status TEXT NOT NULL,
                storage_backend TEXT,
                file_path TEXT,
                manifest_path TEXT,
                file_size INTEGER,
                checksum TEXT,
                manifest_sha256 TEXT,
                signing_key_sha256 TEXT,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                completed_at INTEGER,
                heartbeat_at INTEGER,
                error TEXT,
                deleted_by TEXT,
                deleted_at INTEGER,
                delete_reason TEXT
            );
            CREATE INDEX idx_clips_incident ON clips(incident_id, created_at);
            CREATE INDEX idx_clips_status ON clips(status);
            """),
    ];
}

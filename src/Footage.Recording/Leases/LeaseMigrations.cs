using Footage.Data.Migrations;

namespace Footage.Recording.Leases;

/// <summary>
/// The recorders alive, the camera each one records, and each camera's health as its holder last reported it. A module of its own in <c>schema_migrations</c>
/// (<c>recording_leases</c>) so that its versions never collide with those of <see cref="RecordingMigrations"/>.
/// </summary>
public sealed class LeaseMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("recording_leases", 1, "camera_leases",
            """
            CREATE TABLE recorders (
                recorder_id VARCHAR(100) PRIMARY KEY,
                recorder_url TEXT,
                draining BOOLEAN NOT NULL,
                started_at TIMESTAMP WITH TIME ZONE NOT NULL,
                expires_at TIMESTAMP WITH TIME ZONE NOT NULL
            );
            CREATE TABLE camera_leases (
                camera_id UUID PRIMARY KEY,
                recorder_id VARCHAR(100) NOT NULL,
                recorder_url TEXT,
                acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
                expires_at TIMESTAMP WITH TIME ZONE NOT NULL
            );
            CREATE INDEX camera_leases_recorder ON camera_leases (recorder_id);
            """,
            """
            CREATE TABLE recorders (
                recorder_id TEXT PRIMARY KEY,
                recorder_url TEXT,
                draining INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE TABLE camera_leases (
                camera_id TEXT PRIMARY KEY,
                recorder_id TEXT NOT NULL,
                recorder_url TEXT,
                acquired_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX camera_leases_recorder ON camera_leases (recorder_id);
            """),
        new("recording_leases", 2, "camera_health",
            """
            CREATE TABLE camera_health (
                camera_id UUID PRIMARY KEY,
                recorder_id VARCHAR(100),
                state VARCHAR(32),
                since TIMESTAMP WITH TIME ZONE,
                last_segment_end TIMESTAMP WITH TIME ZONE,
                bitrate_bps BIGINT NOT NULL DEFAULT 0,
                restarts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                timeline_offset_seconds DOUBLE PRECISION,
                last_clock_jump_at TIMESTAMP WITH TIME ZONE,
                last_clock_jump_seconds DOUBLE PRECISION,
                streams TEXT,
                reported_at TIMESTAMP WITH TIME ZONE
            );
            """,
            """
            CREATE TABLE camera_health (
                camera_id TEXT PRIMARY KEY,
                recorder_id TEXT,
                state TEXT,
                since INTEGER,
                last_segment_end INTEGER,
                bitrate_bps INTEGER NOT NULL DEFAULT 0,
                restarts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                timeline_offset_seconds REAL,
                last_clock_jump_at INTEGER,
                last_clock_jump_seconds REAL,
                streams TEXT,
                reported_at INTEGER
            );
            """),
    ];
}

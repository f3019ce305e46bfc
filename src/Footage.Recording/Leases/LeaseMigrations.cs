using Footage.Data.Migrations;

namespace Footage.Recording.Leases;

/// <summary>
/// The recorders alive and the camera each one records. A module of its own in <c>schema_migrations</c>
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
    ];
}

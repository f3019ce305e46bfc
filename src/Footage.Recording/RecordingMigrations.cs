using Footage.Data.Migrations;

namespace Footage.Recording;

/// <summary>Which cameras should record, so that a restarted recorder resumes them.</summary>
public sealed class RecordingMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("recording", 1, "recording_state",
            """
            CREATE TABLE recording_state (
                camera_id UUID PRIMARY KEY,
                should_record BOOLEAN NOT NULL,
                updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
                updated_by VARCHAR(255)
            );
            """,
            """
            CREATE TABLE recording_state (
                camera_id TEXT PRIMARY KEY,
                should_record INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                updated_by TEXT
            );
            """),
    ];
}

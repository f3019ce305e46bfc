using Footage.Data.Migrations;

namespace Footage.Playback.Links;

/// <summary>The Playback module's own table: the playlist links viewers made (<see cref="PlaybackLink"/>).</summary>
public sealed class PlaybackLinkMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("playback", 1, "playlist links",
            """
            CREATE TABLE playback_links (
                id UUID PRIMARY KEY,
                camera_id UUID NOT NULL,
                from_time TIMESTAMPTZ,
                to_time TIMESTAMPTZ,
                created_by VARCHAR(255) NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL,
                revoked_at TIMESTAMPTZ
            );
            CREATE INDEX playback_links_created_by ON playback_links (created_by, created_at);
            """,
            """
            CREATE TABLE playback_links (
                id TEXT PRIMARY KEY,
                camera_id TEXT NOT NULL,
                from_time INTEGER,
                to_time INTEGER,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                revoked_at INTEGER
            );
            CREATE INDEX playback_links_created_by ON playback_links (created_by, created_at);
            """),
    ];
}

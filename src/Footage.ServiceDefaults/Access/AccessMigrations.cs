using Footage.Data.Migrations;

namespace Footage.ServiceDefaults.Access;

/// <summary>
/// Camera groups (sites), which cameras are in each, and which groups an API key or a user may see. Registered by the
/// service defaults, so every process (whatever modules it runs) has the tables its rights checks read.
/// A caller without a row in <c>camera_access_scopes</c> sees every camera.
/// </summary>
public sealed class AccessMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("access", 1, "camera groups, their cameras, callers limited to groups",
            """
            CREATE TABLE camera_groups (
                id UUID PRIMARY KEY,
                name VARCHAR(200) NOT NULL UNIQUE,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL,
                updated_at TIMESTAMP WITH TIME ZONE NOT NULL
            );
            CREATE TABLE camera_group_members (
                group_id UUID NOT NULL,
                camera_id UUID NOT NULL,
                PRIMARY KEY (group_id, camera_id)
            );
            CREATE INDEX idx_camera_group_members_camera ON camera_group_members(camera_id);
            CREATE TABLE camera_access_scopes (
                principal VARCHAR(300) PRIMARY KEY,
                group_ids TEXT NOT NULL,
                updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
                updated_by VARCHAR(255) NOT NULL
            );
            """,
            """
            CREATE TABLE camera_groups (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE TABLE camera_group_members (
                group_id TEXT NOT NULL,
                camera_id TEXT NOT NULL,
                PRIMARY KEY (group_id, camera_id)
            );
            CREATE INDEX idx_camera_group_members_camera ON camera_group_members(camera_id);
            CREATE TABLE camera_access_scopes (
                principal TEXT PRIMARY KEY,
                group_ids TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                updated_by TEXT NOT NULL
            );
            """),
    ];
}

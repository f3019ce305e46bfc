using Footage.Data.Migrations;

namespace Footage.Storage;

/// <summary>
/// The spec's segments and exports tables with their names and indexes, plus what the product needs:
/// a unique (camera_id, start_time) for idempotent registration, the key-frame index, cameras with their
/// storage mode and retention, thumbnails, and the deletion queue that keeps rows and objects in step.
/// </summary>
public sealed class StorageMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("storage", 1, "segments, exports, cameras, thumbnails, deletion queue",
            """
            CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

            CREATE TABLE cameras (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                name VARCHAR(200) NOT NULL,
                source VARCHAR(100),
                rtsp_url TEXT,
                storage_mode VARCHAR(20) NOT NULL DEFAULT 'LOCAL',
                retention_days INTEGER,
                enabled BOOLEAN NOT NULL DEFAULT TRUE,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
                updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
            );
            CREATE INDEX idx_cameras_source ON cameras(source);

            CREATE TABLE segments (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                camera_id UUID NOT NULL,
                start_time TIMESTAMP WITH TIME ZONE NOT NULL,
                end_time TIMESTAMP WITH TIME ZONE NOT NULL,
                duration_seconds INTEGER NOT NULL,
                size_bytes BIGINT NOT NULL,
                storage_backend VARCHAR(50) NOT NULL,
                storage_path TEXT NOT NULL,
                checksum VARCHAR(64),
                thumbnail_path TEXT,
                created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
                keyframe_index TEXT
            );
            CREATE INDEX idx_segments_camera_time ON segments(camera_id, start_time, end_time);
            CREATE INDEX idx_segments_created_at ON segments(created_at);
            CREATE UNIQUE INDEX ux_segments_camera_start ON segments(camera_id, start_time);
            CREATE INDEX idx_segments_backend_start ON segments(storage_backend, start_time);
            CREATE INDEX idx_segments_end_time ON segments(end_time);

            CREATE TABLE exports (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                camera_ids UUID[] NOT NULL,
                start_time TIMESTAMP WITH TIME ZONE NOT NULL,
                end_time TIMESTAMP WITH TIME ZONE NOT NULL,
                format VARCHAR(10) NOT NULL DEFAULT 'mp4',
                reason TEXT,
                status VARCHAR(20) NOT NULL DEFAULT 'PENDING',
                file_path TEXT,
                file_size BIGINT,
                download_url TEXT,
                expires_at TIMESTAMP WITH TIME ZONE,
                created_by VARCHAR(255),
                created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
                completed_at TIMESTAMP WITH TIME ZONE,
                storage_backend VARCHAR(50),
                checksum VARCHAR(64),
                manifest_path TEXT,
                error TEXT,
                heartbeat_at TIMESTAMP WITH TIME ZONE
            );
            CREATE INDEX idx_exports_status ON exports(status);
            CREATE INDEX idx_exports_created_at ON exports(created_at);

            CREATE TABLE thumbnails (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                camera_id UUID NOT NULL,
                captured_at TIMESTAMP WITH TIME ZONE NOT NULL,
                storage_backend VARCHAR(50) NOT NULL,
                storage_path TEXT NOT NULL,
                size_bytes BIGINT NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
            );
            CREATE UNIQUE INDEX ux_thumbnails_camera_time ON thumbnails(camera_id, captured_at);
            CREATE INDEX idx_thumbnails_captured_at ON thumbnails(captured_at);

            CREATE TABLE deletion_queue (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                storage_backend VARCHAR(50) NOT NULL,
                bucket VARCHAR(63) NOT NULL,
                storage_path TEXT NOT NULL,
                reason VARCHAR(50) NOT NULL,
                enqueued_at TIMESTAMP WITH TIME ZONE NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
                claimed_until TIMESTAMP WITH TIME ZONE,
                last_error TEXT
            );
            CREATE INDEX idx_deletion_queue_next ON deletion_queue(next_attempt_at);
            """,
            """
            CREATE TABLE cameras (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                source TEXT,
                rtsp_url TEXT,
                storage_mode TEXT NOT NULL DEFAULT 'LOCAL',
                retention_days INTEGER,
                enabled INTEGER NOT NULL DEFAULT 1,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX idx_cameras_source ON cameras(source);

            CREATE TABLE segments (
                id TEXT PRIMARY KEY,
                camera_id TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER NOT NULL,
                duration_seconds INTEGER NOT NULL,
                size_bytes INTEGER NOT NULL,
                storage_backend TEXT NOT NULL,
                storage_path TEXT NOT NULL,
                checksum TEXT,
                thumbnail_path TEXT,
                created_at INTEGER NOT NULL,
                keyframe_index TEXT
            );
            CREATE INDEX idx_segments_camera_time ON segments(camera_id, start_time, end_time);
            CREATE INDEX idx_segments_created_at ON segments(created_at);
            CREATE UNIQUE INDEX ux_segments_camera_start ON segments(camera_id, start_time);
            CREATE INDEX idx_segments_backend_start ON segments(storage_backend, start_time);
            CREATE INDEX idx_segments_end_time ON segments(end_time);

            CREATE TABLE exports (
                id TEXT PRIMARY KEY,
                camera_ids TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER NOT NULL,
                format TEXT NOT NULL DEFAULT 'mp4',
                reason TEXT,
                status TEXT NOT NULL DEFAULT 'PENDING',
                file_path TEXT,
                file_size INTEGER,
                download_url TEXT,
                expires_at INTEGER,
                created_by TEXT,
                created_at INTEGER NOT NULL,
                completed_at INTEGER,
                storage_backend TEXT,
                checksum TEXT,
                manifest_path TEXT,
                error TEXT,
                heartbeat_at INTEGER
            );
            CREATE INDEX idx_exports_status ON exports(status);
            CREATE INDEX idx_exports_created_at ON exports(created_at);

            CREATE TABLE thumbnails (
                id TEXT PRIMARY KEY,
                camera_id TEXT NOT NULL,
                captured_at INTEGER NOT NULL,
                storage_backend TEXT NOT NULL,
                storage_path TEXT NOT NULL,
                size_bytes INTEGER NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX ux_thumbnails_camera_time ON thumbnails(camera_id, captured_at);
            CREATE INDEX idx_thumbnails_captured_at ON thumbnails(captured_at);

            CREATE TABLE deletion_queue (
                id TEXT PRIMARY KEY,
                storage_backend TEXT NOT NULL,
                bucket TEXT NOT NULL,
                storage_path TEXT NOT NULL,
                reason TEXT NOT NULL,
                enqueued_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                claimed_until INTEGER,
                last_error TEXT
            );
            CREATE INDEX idx_deletion_queue_next ON deletion_queue(next_attempt_at);
            """),
    ];
}

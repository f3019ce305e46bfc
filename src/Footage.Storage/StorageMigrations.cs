using Footage.Data.Migrations;

namespace Footage.Storage;

/// <summary>
/// The spec's segments and exports tables with their names and indexes, plus what the product needs:
/// a unique (camera_id, start_time) for idempotent registration, the key-frame index, cameras with their
/// storage mode and retention, thumbnails, and the deletion queue that keeps rows and objects in step.
/// Version 2 makes every stored object one row (a unique (storage_backend, storage_path); rows that aliased another's
/// object are moved to <c>segment_aliases</c>, the oldest row of each object kept), and adds the holds record, the bucket
/// of held copies, quarantined recordings and the integrity scrub's findings. Version 3 adds each camera's audio handling
/// (keep or drop sound MPEG-TS cannot carry) and its RTSP transport.
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
        new("storage", 2, "one row per stored object, holds record, held copies, quarantine, integrity findings",
            """
            ALTER TABLE segments ADD COLUMN storage_bucket VARCHAR(63) NOT NULL DEFAULT 'cctv-recordings';
            ALTER TABLE segments ADD COLUMN object_hold BOOLEAN NOT NULL DEFAULT FALSE;

            CREATE TABLE segment_aliases (
                id UUID PRIMARY KEY,
                camera_id UUID NOT NULL,
                start_time TIMESTAMP WITH TIME ZONE NOT NULL,
                end_time TIMESTAMP WITH TIME ZONE NOT NULL,
                size_bytes BIGINT NOT NULL,
                storage_backend VARCHAR(50) NOT NULL,
                storage_path TEXT NOT NULL,
                checksum VARCHAR(64),
                created_at TIMESTAMP WITH TIME ZONE,
                kept_segment_id UUID NOT NULL,
                removed_at TIMESTAMP WITH TIME ZONE NOT NULL
            );
            INSERT INTO segment_aliases (id, camera_id, start_time, end_time, size_bytes, storage_backend, storage_path, checksum, created_at, kept_segment_id, removed_at)
            SELECT r.id, r.camera_id, r.start_time, r.end_time, r.size_bytes, r.storage_backend, r.storage_path, r.checksum, r.created_at, r.kept, NOW()
            FROM (SELECT s.id, s.camera_id, s.start_time, s.end_time, s.size_bytes, s.storage_backend, s.storage_path, s.checksum, s.created_at,
                         FIRST_VALUE(s.id) OVER w AS kept, ROW_NUMBER() OVER w AS n
                  FROM segments s
                  WINDOW w AS (PARTITION BY s.storage_backend, s.storage_path ORDER BY s.created_at, s.id)) r
            WHERE r.n > 1;
            DELETE FROM segments WHERE id IN (SELECT id FROM segment_aliases);
            CREATE UNIQUE INDEX ux_segments_backend_path ON segments(storage_backend, storage_path);
            CREATE INDEX idx_segments_held ON segments(storage_bucket, object_hold) WHERE storage_bucket <> 'cctv-recordings' OR object_hold;

            CREATE TABLE segment_holds (
                id UUID PRIMARY KEY,
                source VARCHAR(50) NOT NULL,
                source_id VARCHAR(100) NOT NULL,
                camera_id UUID NOT NULL,
                start_time TIMESTAMP WITH TIME ZONE NOT NULL,
                end_time TIMESTAMP WITH TIME ZONE NOT NULL,
                until_time TIMESTAMP WITH TIME ZONE,
                reason TEXT NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL
            );
            CREATE INDEX idx_segment_holds_camera ON segment_holds(camera_id, start_time);
            CREATE INDEX idx_segment_holds_source ON segment_holds(source, source_id);

            CREATE TABLE quarantined_segments (
                id UUID PRIMARY KEY,
                camera_id UUID NOT NULL,
                start_time TIMESTAMP WITH TIME ZONE NOT NULL,
                end_time TIMESTAMP WITH TIME ZONE NOT NULL,
                duration_seconds INTEGER NOT NULL,
                size_bytes BIGINT NOT NULL,
                storage_backend VARCHAR(50) NOT NULL,
                storage_bucket VARCHAR(63) NOT NULL,
                storage_path TEXT NOT NULL,
                checksum VARCHAR(64) NOT NULL,
                keyframe_index TEXT,
                conflicting_segment_id UUID,
                reason TEXT NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL
            );
            CREATE UNIQUE INDEX ux_quarantined_backend_path ON quarantined_segments(storage_backend, storage_path);
            CREATE INDEX idx_quarantined_camera ON quarantined_segments(camera_id, start_time);

            CREATE INDEX idx_deletion_queue_object ON deletion_queue(storage_backend, bucket, storage_path);

            CREATE TABLE integrity_findings (
                id UUID PRIMARY KEY,
                kind VARCHAR(30) NOT NULL,
                storage_backend VARCHAR(50) NOT NULL,
                bucket VARCHAR(63) NOT NULL,
                storage_path TEXT NOT NULL,
                segment_id UUID,
                expected_sha256 VARCHAR(64),
                actual_sha256 VARCHAR(64),
                expected_size BIGINT,
                actual_size BIGINT,
                first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
                last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
                resolved_at TIMESTAMP WITH TIME ZONE
            );
            CREATE UNIQUE INDEX ux_integrity_findings_open ON integrity_findings(kind, storage_backend, bucket, storage_path) WHERE resolved_at IS NULL;
            CREATE INDEX idx_integrity_findings_seen ON integrity_findings(last_seen_at);

            CREATE TABLE integrity_scrub_state (
                name VARCHAR(50) PRIMARY KEY,
                after_id UUID,
                pass_running BOOLEAN NOT NULL DEFAULT FALSE,
                pass_started_at TIMESTAMP WITH TIME ZONE,
                passes_completed INTEGER NOT NULL DEFAULT 0,
                last_pass_completed_at TIMESTAMP WITH TIME ZONE,
                last_reconciled_at TIMESTAMP WITH TIME ZONE
            );
            """,
            """
            ALTER TABLE segments ADD COLUMN storage_bucket TEXT NOT NULL DEFAULT 'cctv-recordings';
            ALTER TABLE segments ADD COLUMN object_hold INTEGER NOT NULL DEFAULT 0;

            CREATE TABLE segment_aliases (
                id TEXT PRIMARY KEY,
                camera_id TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER NOT NULL,
                size_bytes INTEGER NOT NULL,
                storage_backend TEXT NOT NULL,
                storage_path TEXT NOT NULL,
                checksum TEXT,
                created_at INTEGER,
                kept_segment_id TEXT NOT NULL,
                removed_at INTEGER NOT NULL
            );
            INSERT INTO segment_aliases (id, camera_id, start_time, end_time, size_bytes, storage_backend, storage_path, checksum, created_at, kept_segment_id, removed_at)
            SELECT r.id, r.camera_id, r.start_time, r.end_time, r.size_bytes, r.storage_backend, r.storage_path, r.checksum, r.created_at, r.kept,
                   CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
            FROM (SELECT s.id, s.camera_id, s.start_time, s.end_time, s.size_bytes, s.storage_backend, s.storage_path, s.checksum, s.created_at,
                         FIRST_VALUE(s.id) OVER w AS kept, ROW_NUMBER() OVER w AS n
                  FROM segments s
                  WINDOW w AS (PARTITION BY s.storage_backend, s.storage_path ORDER BY s.created_at, s.id)) r
            WHERE r.n > 1;
            DELETE FROM segments WHERE id IN (SELECT id FROM segment_aliases);
            CREATE UNIQUE INDEX ux_segments_backend_path ON segments(storage_backend, storage_path);
            CREATE INDEX idx_segments_held ON segments(storage_bucket, object_hold) WHERE storage_bucket <> 'cctv-recordings' OR object_hold;

            CREATE TABLE segment_holds (
                id TEXT PRIMARY KEY,
                source TEXT NOT NULL,
                source_id TEXT NOT NULL,
                camera_id TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER NOT NULL,
                until_time INTEGER,
                reason TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX idx_segment_holds_camera ON segment_holds(camera_id, start_time);
            CREATE INDEX idx_segment_holds_source ON segment_holds(source, source_id);

            CREATE TABLE quarantined_segments (
                id TEXT PRIMARY KEY,
                camera_id TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER NOT NULL,
                duration_seconds INTEGER NOT NULL,
                size_bytes INTEGER NOT NULL,
                storage_backend TEXT NOT NULL,
                storage_bucket TEXT NOT NULL,
                storage_path TEXT NOT NULL,
                checksum TEXT NOT NULL,
                keyframe_index TEXT,
                conflicting_segment_id TEXT,
                reason TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX ux_quarantined_backend_path ON quarantined_segments(storage_backend, storage_path);
            CREATE INDEX idx_quarantined_camera ON quarantined_segments(camera_id, start_time);

            CREATE INDEX idx_deletion_queue_object ON deletion_queue(storage_backend, bucket, storage_path);

            CREATE TABLE integrity_findings (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                storage_backend TEXT NOT NULL,
                bucket TEXT NOT NULL,
                storage_path TEXT NOT NULL,
                segment_id TEXT,
                expected_sha256 TEXT,
                actual_sha256 TEXT,
                expected_size INTEGER,
                actual_size INTEGER,
                first_seen_at INTEGER NOT NULL,
                last_seen_at INTEGER NOT NULL,
                resolved_at INTEGER
            );
            CREATE UNIQUE INDEX ux_integrity_findings_open ON integrity_findings(kind, storage_backend, bucket, storage_path) WHERE resolved_at IS NULL;
            CREATE INDEX idx_integrity_findings_seen ON integrity_findings(last_seen_at);

            CREATE TABLE integrity_scrub_state (
                name TEXT PRIMARY KEY,
                after_id TEXT,
                pass_running INTEGER NOT NULL DEFAULT 0,
                pass_started_at INTEGER,
                passes_completed INTEGER NOT NULL DEFAULT 0,
                last_pass_completed_at INTEGER,
                last_reconciled_at INTEGER
            );
            """),
        new("storage", 3, "cameras: what to do with audio MPEG-TS cannot carry, RTSP transport",
            """
            ALTER TABLE cameras ADD COLUMN audio VARCHAR(10) NOT NULL DEFAULT 'keep';
            ALTER TABLE cameras ADD COLUMN rtsp_transport VARCHAR(10) NOT NULL DEFAULT 'tcp';
            """,
            """
            ALTER TABLE cameras ADD COLUMN audio TEXT NOT NULL DEFAULT 'keep';
            ALTER TABLE cameras ADD COLUMN rtsp_transport TEXT NOT NULL DEFAULT 'tcp';
            """),
    ];
}

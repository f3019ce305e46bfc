using Footage.Data.Migrations;

namespace Footage.Metadata;

/// <summary>
/// The spec's tags, video_tags, annotations and incidents tables (names, types, indexes, and on PostgreSQL
/// the incidents search trigger as the spec writes it), plus what the product needs: the camera and
/// wall-clock instant of each annotation (the spec's "timestamp") for the playback timeline, indexes for
/// the search filters, and the append-only custody log. On SQLite an FTS5 table kept in step by triggers
/// stands in for the tsvector column.
/// </summary>
public sealed class MetadataMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("metadata", 1, "tags, video tags, annotations, incidents with full-text search, custody log",
            """
            CREATE TABLE tags (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                name VARCHAR(100) NOT NULL UNIQUE,
                category VARCHAR(50),
                color VARCHAR(7),
                created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
            );

            CREATE TABLE video_tags (
                segment_id UUID REFERENCES segments(id) ON DELETE CASCADE,
                tag_id UUID REFERENCES tags(id) ON DELETE CASCADE,
                user_id VARCHAR(255) NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
                PRIMARY KEY (segment_id, tag_id)
            );
            CREATE INDEX idx_video_tags_tag ON video_tags(tag_id);

            CREATE TABLE annotations (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                segment_id UUID REFERENCES segments(id) ON DELETE CASCADE,
                timestamp_offset INTEGER NOT NULL,
                type VARCHAR(50) NOT NULL,
                content TEXT NOT NULL,
                user_id VARCHAR(255) NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
                camera_id UUID NOT NULL,
                "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL
            );
            CREATE INDEX idx_annotations_segment ON annotations(segment_id);
            CREATE INDEX idx_annotations_camera_time ON annotations(camera_id, "timestamp");

            CREATE TABLE incidents (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                title VARCHAR(255) NOT NULL,
                description TEXT,
                severity VARCHAR(20) NOT NULL,
                status VARCHAR(20) NOT NULL DEFAULT 'OPEN',
                camera_ids UUID[] NOT NULL,
                start_time TIMESTAMP WITH TIME ZONE NOT NULL,
                end_time TIMESTAMP WITH TIME ZONE NOT NULL,
                tags TEXT[],
                assigned_to VARCHAR(255),
                created_by VARCHAR(255) NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
                updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
                closed_at TIMESTAMP WITH TIME ZONE
            );

            CREATE INDEX idx_incidents_status ON incidents(status);
            CREATE INDEX idx_incidents_created_at ON incidents(created_at);
            CREATE INDEX idx_incidents_severity ON incidents(severity);
            CREATE INDEX idx_incidents_camera_ids ON incidents USING gin(camera_ids);
            CREATE INDEX idx_incidents_tags ON incidents USING gin(tags);
            CREATE INDEX idx_incidents_created_by ON incidents(created_by);
            CREATE INDEX idx_incidents_assigned_to ON incidents(assigned_to);
            CREATE INDEX idx_incidents_time ON incidents(start_time, end_time);
            -- the usual search filters next to full text: a narrow bitmap to AND with the text index (see docs/benchmarks.md)
            CREATE INDEX idx_incidents_severity_created ON incidents(severity, created_at);
            CREATE INDEX idx_incidents_status_severity ON incidents(status, severity, created_at);

            ALTER TABLE incidents ADD COLUMN search_vector tsvector;
            CREATE INDEX idx_incidents_search ON incidents USING gin(search_vector);

            CREATE OR REPLACE FUNCTION incidents_search_trigger() RETURNS trigger AS $$
            BEGIN
                NEW.search_vector :=
                    setweight(to_tsvector('english', COALESCE(NEW.title, '')), 'A') ||
                    setweight(to_tsvector('english', COALESCE(NEW.description, '')), 'B');
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql;

            CREATE TRIGGER incidents_search_update
                BEFORE INSERT OR UPDATE ON incidents
                FOR EACH ROW
                EXECUTE FUNCTION incidents_search_trigger();

            CREATE TABLE custody_log (
                id UUID PRIMARY KEY,
                incident_id UUID NOT NULL REFERENCES incidents(id),
                sequence INTEGER NOT NULL,
                action VARCHAR(50) NOT NULL,
                actor VARCHAR(255) NOT NULL,
                occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
                details TEXT NOT NULL,
                previous_hash CHAR(64) NOT NULL,
                hash CHAR(64) NOT NULL,
                UNIQUE (incident_id, sequence)
            );

            CREATE FUNCTION custody_log_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'custody_log is append-only';
            END;
            $$ LANGUAGE plpgsql;

            CREATE TRIGGER custody_log_append_only
                BEFORE UPDATE OR DELETE ON custody_log
                FOR EACH ROW
                EXECUTE FUNCTION custody_log_append_only();
            """,
            """
            CREATE TABLE tags (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                category TEXT,
                color TEXT,
                created_at INTEGER NOT NULL
            );

            CREATE TABLE video_tags (
                segment_id TEXT REFERENCES segments(id) ON DELETE CASCADE,
                tag_id TEXT REFERENCES tags(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (segment_id, tag_id)
            );
            CREATE INDEX idx_video_tags_tag ON video_tags(tag_id);

            CREATE TABLE annotations (
                id TEXT PRIMARY KEY,
                segment_id TEXT REFERENCES segments(id) ON DELETE CASCADE,
                timestamp_offset INTEGER NOT NULL,
                type TEXT NOT NULL,
                content TEXT NOT NULL,
                user_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                camera_id TEXT NOT NULL,
                "timestamp" INTEGER NOT NULL
            );
            CREATE INDEX idx_annotations_segment ON annotations(segment_id);
            CREATE INDEX idx_annotations_camera_time ON annotations(camera_id, "timestamp");

            -- fts_rowid is the FTS5 table's key: an INTEGER PRIMARY KEY keeps it stable through VACUUM
            CREATE TABLE incidents (
                fts_rowid INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                description TEXT,
                severity TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'OPEN',
                camera_ids TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER NOT NULL,
                tags TEXT,
                assigned_to TEXT,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                closed_at INTEGER
            );
            CREATE INDEX idx_incidents_status ON incidents(status);
            CREATE INDEX idx_incidents_created_at ON incidents(created_at);
            CREATE INDEX idx_incidents_severity ON incidents(severity);
            CREATE INDEX idx_incidents_created_by ON incidents(created_by);
            CREATE INDEX idx_incidents_assigned_to ON incidents(assigned_to);
            CREATE INDEX idx_incidents_time ON incidents(start_time, end_time);
            CREATE INDEX idx_incidents_severity_created ON incidents(severity, created_at);
            CREATE INDEX idx_incidents_status_severity ON incidents(status, severity, created_at);

            CREATE VIRTUAL TABLE incidents_fts USING fts5(
                title, description,
                content='incidents', content_rowid='fts_rowid',
                tokenize='porter unicode61 remove_diacritics 2');

            CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
                INSERT INTO incidents_fts(rowid, title, description) VALUES (new.fts_rowid, new.title, COALESCE(new.description, ''));
            END;
            CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN
                INSERT INTO incidents_fts(incidents_fts, rowid, title, description) VALUES ('delete', old.fts_rowid, old.title, COALESCE(old.description, ''));
            END;
            CREATE TRIGGER incidents_fts_update AFTER UPDATE OF title, description ON incidents BEGIN
                INSERT INTO incidents_fts(incidents_fts, rowid, title, description) VALUES ('delete', old.fts_rowid, old.title, COALESCE(old.description, ''));
                INSERT INTO incidents_fts(rowid, title, description) VALUES (new.fts_rowid, new.title, COALESCE(new.description, ''));
            END;

            CREATE TABLE custody_log (
                id TEXT PRIMARY KEY,
                incident_id TEXT NOT NULL REFERENCES incidents(id),
                sequence INTEGER NOT NULL,
                action TEXT NOT NULL,
                actor TEXT NOT NULL,
                occurred_at INTEGER NOT NULL,
                details TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                UNIQUE (incident_id, sequence)
            );
            CREATE TRIGGER custody_log_no_update BEFORE UPDATE ON custody_log BEGIN
                SELECT RAISE(ABORT, 'custody_log is append-only');
            END;
            CREATE TRIGGER custody_log_no_delete BEFORE DELETE ON custody_log BEGIN
                SELECT RAISE(ABORT, 'custody_log is append-only');
            END;
            """),
        Search.Index.SearchIndexMigration.Create(2),
    ];
}

using System.Globalization;
using Footage.Data.Migrations;

namespace Footage.Metadata.Search.Index;

/// <summary>
/// The index of everything the search finds: incidents (title, description, labels), annotations (the note), tags (name,
/// category) and segments (the names and categories of their tags, and their notes), one entry per item with its
/// cameras and instants, kept in step by triggers on the source tables and filled from the rows already there.
/// The text of each entry has three fields weighted A, B, C. Both databases see the same words: PostgreSQL's text is
/// first cut at every space and ASCII punctuation character (its parser would keep <c>K-71</c> as <c>k</c> and
/// <c>-71</c>, an e-mail or a URL as one token), which is what SQLite's <c>unicode61</c> tokenizer does, and stop words
/// are indexed on both (a configuration <c>footage_search</c> with the English Snowball stemmer and no stop-word
/// list), so phrases and prefixes mean the same on both.
/// </summary>
public static class SearchIndexMigration
{
    public static Migration Create(int version) => new("metadata", version,
        "search index over incidents, annotations, tags and segments (tsvector on PostgreSQL, FTS5 on SQLite), filled from existing rows",
        Postgres, Sqlite);

    private const string Postgres =
        """
        CREATE TEXT SEARCH DICTIONARY footage_english_stem (TEMPLATE = snowball, Language = english);
        CREATE TEXT SEARCH CONFIGURATION footage_search (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION footage_search
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, hword, hword_part, word WITH footage_english_stem;

        CREATE FUNCTION footage_search_text(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
        $$ SELECT regexp_replace(COALESCE(value, ''), '[[:space:][:punct:]]+', ' ', 'g') $$;

        CREATE FUNCTION footage_search_vector(a TEXT, b TEXT, c TEXT) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
        $$ SELECT setweight(to_tsvector('footage_search', footage_search_text(a)), 'A')
               || setweight(to_tsvector('footage_search', footage_search_text(b)), 'B')
               || setweight(to_tsvector('footage_search', footage_search_text(c)), 'C') $$;

        CREATE TABLE search_entries (
            kind VARCHAR(10) NOT NULL,
            entry_id UUID NOT NULL,
            camera_ids UUID[] NOT NULL,
            start_time TIMESTAMP WITH TIME ZONE,
            end_time TIMESTAMP WITH TIME ZONE,
            search_vector tsvector NOT NULL,
            PRIMARY KEY (kind, entry_id)
        );
        CREATE INDEX idx_search_entries_vector ON search_entries USING gin(search_vector);
        CREATE INDEX idx_search_entries_cameras ON search_entries USING gin(camera_ids);
        -- the order of a search's page among equally ranked entries: walked newest first when the words are common
        CREATE INDEX idx_search_entries_start ON search_entries(start_time DESC NULLS LAST, kind, entry_id);

        -- the segment's entry from its tags and notes; none when it has neither or is gone
        CREATE FUNCTION search_refresh_segment(segment UUID) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE names TEXT; categories TEXT; notes TEXT;
        BEGIN
            SELECT string_agg(t.name, ' ' ORDER BY t.name), string_agg(t.category, ' ' ORDER BY t.name) INTO names, categories
                FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.segment_id = segment;
            SELECT string_agg(a.content, ' ' ORDER BY a."timestamp", a.id) INTO notes FROM annotations a WHERE a.segment_id = segment;
            IF names IS NULL AND notes IS NULL THEN
                DELETE FROM search_entries WHERE kind = 'segment' AND entry_id = segment;
            ELSE
                INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time, search_vector)
                    SELECT 'segment', s.id, ARRAY[s.camera_id], s.start_time, s.end_time, footage_search_vector(names, categories, notes)
                    FROM segments s WHERE s.id = segment
                ON CONFLICT (kind, entry_id) DO UPDATE SET search_vector = EXCLUDED.search_vector;
            END IF;
        END $$;

        CREATE FUNCTION search_entries_incident() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM search_entries WHERE kind = 'incident' AND entry_id = OLD.id;
                RETURN OLD;
            END IF;
            INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time, search_vector)
                VALUES ('incident', NEW.id, NEW.camera_ids, NEW.start_time, NEW.end_time,
                        footage_search_vector(NEW.title, NEW.description, array_to_string(NEW.tags, ' ')))
            ON CONFLICT (kind, entry_id) DO UPDATE SET camera_ids = EXCLUDED.camera_ids, start_time = EXCLUDED.start_time,
                end_time = EXCLUDED.end_time, search_vector = EXCLUDED.search_vector;
            RETURN NEW;
        END $$;
        CREATE TRIGGER incidents_search_entries AFTER INSERT OR DELETE OR UPDATE OF title, description, tags, camera_ids, start_time, end_time
            ON incidents FOR EACH ROW EXECUTE FUNCTION search_entries_incident();

        CREATE FUNCTION search_entries_annotation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM search_entries WHERE kind = 'annotation' AND entry_id = OLD.id;
                PERFORM search_refresh_segment(OLD.segment_id);
                RETURN OLD;
            END IF;
            INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time, search_vector)
                VALUES ('annotation', NEW.id, ARRAY[NEW.camera_id], NEW."timestamp", NULL, footage_search_vector(NEW.content, NULL, NULL))
            ON CONFLICT (kind, entry_id) DO UPDATE SET camera_ids = EXCLUDED.camera_ids, start_time = EXCLUDED.start_time,
                search_vector = EXCLUDED.search_vector;
            PERFORM search_refresh_segment(NEW.segment_id);
            IF TG_OP = 'UPDATE' AND OLD.segment_id IS DISTINCT FROM NEW.segment_id THEN
                PERFORM search_refresh_segment(OLD.segment_id);
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER annotations_search_entries AFTER INSERT OR DELETE OR UPDATE OF content, segment_id, camera_id, "timestamp"
            ON annotations FOR EACH ROW EXECUTE FUNCTION search_entries_annotation();

        CREATE FUNCTION search_entries_tag() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM search_entries WHERE kind = 'tag' AND entry_id = OLD.id;
                RETURN OLD;
            END IF;
            INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time, search_vector)
                VALUES ('tag', NEW.id, '{}', NULL, NULL, footage_search_vector(NEW.name, NEW.category, NULL))
            ON CONFLICT (kind, entry_id) DO UPDATE SET search_vector = EXCLUDED.search_vector;
            IF TG_OP = 'UPDATE' THEN
                PERFORM search_refresh_segment(vt.segment_id) FROM video_tags vt WHERE vt.tag_id = NEW.id;
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER tags_search_entries AFTER INSERT OR DELETE OR UPDATE OF name, category
            ON tags FOR EACH ROW EXECUTE FUNCTION search_entries_tag();

        CREATE FUNCTION search_entries_video_tag() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM search_refresh_segment(OLD.segment_id);
                RETURN OLD;
            END IF;
            PERFORM search_refresh_segment(NEW.segment_id);
            RETURN NEW;
        END $$;
        CREATE TRIGGER video_tags_search_entries AFTER INSERT OR DELETE ON video_tags FOR EACH ROW EXECUTE FUNCTION search_entries_video_tag();

        -- after the cascades to its tags and notes (foreign-key triggers run first): nothing of a deleted segment stays
        CREATE FUNCTION search_entries_segment_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM search_entries WHERE kind = 'segment' AND entry_id = OLD.id;
            RETURN OLD;
        END $$;
        CREATE TRIGGER segments_search_entries AFTER DELETE ON segments FOR EACH ROW EXECUTE FUNCTION search_entries_segment_deleted();

        -- fills the index from the tables as they are: at this migration, and after a bulk load made with the triggers disabled
        CREATE FUNCTION search_entries_rebuild() RETURNS void LANGUAGE sql AS $$
            DELETE FROM search_entries;
            INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time, search_vector)
                SELECT 'incident', id, camera_ids, start_time, end_time, footage_search_vector(title, description, array_to_string(tags, ' ')) FROM incidents;
            INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time, search_vector)
                SELECT 'annotation', id, ARRAY[camera_id], "timestamp", NULL, footage_search_vector(content, NULL, NULL) FROM annotations;
            INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time, search_vector)
                SELECT 'tag', id, '{}', NULL, NULL, footage_search_vector(name, category, NULL) FROM tags;
            INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time, search_vector)
                SELECT 'segment', s.id, ARRAY[s.camera_id], s.start_time, s.end_time, footage_search_vector(t.names, t.categories, n.notes)
                FROM segments s
                LEFT JOIN (SELECT vt.segment_id, string_agg(g.name, ' ' ORDER BY g.name) AS names, string_agg(g.category, ' ' ORDER BY g.name) AS categories
                           FROM video_tags vt JOIN tags g ON g.id = vt.tag_id GROUP BY vt.segment_id) t ON t.segment_id = s.id
                LEFT JOIN (SELECT segment_id, string_agg(content, ' ' ORDER BY "timestamp", id) AS notes FROM annotations GROUP BY segment_id) n ON n.segment_id = s.id
                WHERE t.segment_id IS NOT NULL OR n.segment_id IS NOT NULL;
        $$;
        SELECT search_entries_rebuild();
        """;

    private static readonly string Sqlite =
        $"""
         CREATE TABLE search_entries (
             doc INTEGER PRIMARY KEY,
             kind TEXT NOT NULL,
             entry_id TEXT NOT NULL,
             camera_ids TEXT NOT NULL,
             start_time INTEGER,
             end_time INTEGER,
             UNIQUE (kind, entry_id)
         );
         -- SQLite sorts nulls last in descending order by itself (and takes no NULLS LAST in an index)
         CREATE INDEX idx_search_entries_start ON search_entries(start_time DESC, kind, entry_id);
         -- keyed by search_entries.doc (an INTEGER PRIMARY KEY: stable through VACUUM); keeps its own copy of the text for snippets
         CREATE VIRTUAL TABLE search_fts USING fts5(a, b, c, tokenize = 'porter unicode61 remove_diacritics 0');

         CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents BEGIN
             {Upsert("'incident'", "new.id", "new.camera_ids", "new.start_time", "new.end_time", "new.title", "new.description", IncidentLabels("new"))}
         END;
         CREATE TRIGGER incidents_search_update AFTER UPDATE OF title, description, tags, camera_ids, start_time, end_time ON incidents BEGIN
             {Upsert("'incident'", "new.id", "new.camera_ids", "new.start_time", "new.end_time", "new.title", "new.description", IncidentLabels("new"))}
         END;
         CREATE TRIGGER incidents_search_delete AFTER DELETE ON incidents BEGIN
             {Remove("'incident'", "SELECT old.id")}
         END;

         CREATE TRIGGER annotations_search_insert AFTER INSERT ON annotations BEGIN
             {Upsert("'annotation'", "new.id", "json_array(new.camera_id)", "new.\"timestamp\"", "NULL", "new.content", "NULL", "NULL")}
             {RefreshSegments("SELECT new.segment_id")}
         END;
         CREATE TRIGGER annotations_search_update AFTER UPDATE OF content, segment_id, camera_id, "timestamp" ON annotations BEGIN
             {Upsert("'annotation'", "new.id", "json_array(new.camera_id)", "new.\"timestamp\"", "NULL", "new.content", "NULL", "NULL")}
             {RefreshSegments("SELECT new.segment_id UNION SELECT old.segment_id")}
         END;
         CREATE TRIGGER annotations_search_delete AFTER DELETE ON annotations BEGIN
             {Remove("'annotation'", "SELECT old.id")}
             {RefreshSegments("SELECT old.segment_id")}
         END;

         CREATE TRIGGER tags_search_insert AFTER INSERT ON tags BEGIN
             {Upsert("'tag'", "new.id", "'[]'", "NULL", "NULL", "new.name", "new.category", "NULL")}
         END;
         CREATE TRIGGER tags_search_update AFTER UPDATE OF name, category ON tags BEGIN
             {Upsert("'tag'", "new.id", "'[]'", "NULL", "NULL", "new.name", "new.category", "NULL")}
             {RefreshSegments("SELECT vt.segment_id FROM video_tags vt WHERE vt.tag_id = new.id")}
         END;
         CREATE TRIGGER tags_search_delete AFTER DELETE ON tags BEGIN
             {Remove("'tag'", "SELECT old.id")}
         END;

         CREATE TRIGGER video_tags_search_insert AFTER INSERT ON video_tags BEGIN
             {RefreshSegments("SELECT new.segment_id")}
         END;
         CREATE TRIGGER video_tags_search_delete AFTER DELETE ON video_tags BEGIN
             {RefreshSegments("SELECT old.segment_id")}
         END;
         CREATE TRIGGER segments_search_delete AFTER DELETE ON segments BEGIN
             {Remove("'segment'", "SELECT old.id")}
         END;

         INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time)
             SELECT 'incident', id, camera_ids, start_time, end_time FROM incidents;
         INSERT INTO search_fts (rowid, a, b, c)
             SELECT e.doc, i.title, COALESCE(i.description, ''), {IncidentLabels("i")}
             FROM search_entries e JOIN incidents i ON i.id = e.entry_id WHERE e.kind = 'incident';
         INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time)
             SELECT 'annotation', id, json_array(camera_id), "timestamp", NULL FROM annotations;
         INSERT INTO search_fts (rowid, a, b, c)
             SELECT e.doc, an.content, '', '' FROM search_entries e JOIN annotations an ON an.id = e.entry_id WHERE e.kind = 'annotation';
         INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time)
             SELECT 'tag', id, '[]', NULL, NULL FROM tags;
         INSERT INTO search_fts (rowid, a, b, c)
             SELECT e.doc, t.name, COALESCE(t.category, ''), '' FROM search_entries e JOIN tags t ON t.id = e.entry_id WHERE e.kind = 'tag';
         {RefreshSegments("SELECT segment_id FROM video_tags UNION SELECT segment_id FROM annotations")}
         """;

    private static string IncidentLabels(string row) =>
        string.Create(CultureInfo.InvariantCulture, $"COALESCE((SELECT group_concat(value, ' ') FROM json_each({row}.tags)), '')");

    /// <summary>Inserts or replaces one entry and its text (SQLite).</summary>
    private static string Upsert(string kind, string id, string cameras, string start, string end, string a, string b, string c) =>
        $"""
         INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time) VALUES ({kind}, {id}, {cameras}, {start}, {end})
                 ON CONFLICT (kind, entry_id) DO UPDATE SET camera_ids = excluded.camera_ids, start_time = excluded.start_time, end_time = excluded.end_time;
             DELETE FROM search_fts WHERE rowid = (SELECT doc FROM search_entries WHERE kind = {kind} AND entry_id = {id});
             INSERT INTO search_fts (rowid, a, b, c) VALUES ((SELECT doc FROM search_entries WHERE kind = {kind} AND entry_id = {id}),
                 COALESCE({a}, ''), COALESCE({b}, ''), COALESCE({c}, ''));
         """;

    private static string Remove(string kind, string ids) =>
        $"""
         DELETE FROM search_fts WHERE rowid IN (SELECT doc FROM search_entries WHERE kind = {kind} AND entry_id IN ({ids}));
             DELETE FROM search_entries WHERE kind = {kind} AND entry_id IN ({ids});
         """;

    /// <summary>Rebuilds the entries of the segments given by a subquery from their tags and notes (SQLite).</summary>
    private static string RefreshSegments(string segments) =>
        $"""
         {Remove("'segment'", segments)}
             INSERT INTO search_entries (kind, entry_id, camera_ids, start_time, end_time)
                 SELECT 'segment', s.id, json_array(s.camera_id), s.start_time, s.end_time FROM segments s
                 WHERE s.id IN ({segments})
                     AND (EXISTS (SELECT 1 FROM video_tags vt WHERE vt.segment_id = s.id) OR EXISTS (SELECT 1 FROM annotations an WHERE an.segment_id = s.id));
             INSERT INTO search_fts (rowid, a, b, c)
                 SELECT e.doc,
                     COALESCE((SELECT group_concat(t.name, ' ' ORDER BY t.name) FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.segment_id = e.entry_id), ''),
                     COALESCE((SELECT group_concat(t.category, ' ' ORDER BY t.name) FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.segment_id = e.entry_id), ''),
                     COALESCE((SELECT group_concat(an.content, ' ' ORDER BY an."timestamp", an.id) FROM annotations an WHERE an.segment_id = e.entry_id), '')
                 FROM search_entries e WHERE e.kind = 'segment' AND e.entry_id IN ({segments});
         """;
}

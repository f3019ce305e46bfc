using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Footage.Bench.Search;

/// <summary>
/// Generates the notes operators write on the timeline and the tags they put on segments, in the database itself
/// (<c>generate_series</c> over 100 000 sentences sent once with binary COPY), then fills the search index over
/// incidents, notes, tags and segments in one pass (<c>search_entries_rebuild()</c>, its text index built afterwards).
/// One note in 500 carries a plate such as <c>K-71</c>.
/// </summary>
public sealed class NotesLoader(string connectionString, Vocabulary words)
{
    public const int Tags = 200;
    public const int Sentences = 100_000;

    public async Task<bool> AlreadyLoadedAsync(int annotations)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM annotations), (SELECT count(*) FROM search_entries)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0) >= annotations && reader.GetInt64(1) > 0;
    }

    public async Task LoadAsync(int annotations)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task Run(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 7200 };
            await command.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        await Run("CREATE TEMP TABLE sentences (n INTEGER PRIMARY KEY, text TEXT NOT NULL)");
        var random = new Random(99);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY sentences (n, text) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < Sentences; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(i, NpgsqlDbType.Integer);
                await copy.WriteAsync(words.Sentence(random, 3, 15), NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        await Run("ALTER TABLE annotations DISABLE TRIGGER USER; ALTER TABLE video_tags DISABLE TRIGGER USER; ALTER TABLE tags DISABLE TRIGGER USER");
        await Run(
            $"""
             CREATE TEMP TABLE numbered AS SELECT row_number() OVER (ORDER BY start_time, camera_id) - 1 AS n, id, camera_id, start_time FROM segments;
             CREATE INDEX ON numbered(n);
             INSERT INTO tags (id, name, category, color, created_at)
                 SELECT gen_random_uuid(), left(s.text, 40), (ARRAY['object', 'person', 'vehicle', 'event'])[1 + g % 4], '#FF8800', now()
                 FROM generate_series(0, {Tags - 1}) g JOIN sentences s ON s.n = g * 7 ON CONFLICT (name) DO NOTHING;
             -- one segment in ten carries a tag
             INSERT INTO video_tags (segment_id, tag_id, user_id, created_at)
                 SELECT n.id, t.id, 'operator' || (n.n % 50), now()
                 FROM numbered n JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS k FROM tags) t ON t.k = (n.n * 7919) % {Tags}
                 WHERE n.n % 10 = 0;
             """);
        Console.WriteLine($"  {Tags} tags and the tags of one segment in ten in {watch.Elapsed.TotalSeconds:F0} s");
        watch.Restart();
        await Run(
            $"""
             INSERT INTO annotations (id, segment_id, timestamp_offset, type, content, user_id, created_at, camera_id, "timestamp")
                 SELECT gen_random_uuid(), n.id, o.offset_ms, 'note',
                     s.text || CASE WHEN g % 500 = 0 THEN ' plate ' || chr(65 + (g / 500) % 26) || '-' || ((g / 13000) % 100) ELSE '' END,
                     'operator' || (g % 50), n.start_time + o.offset_ms * interval '1 millisecond', n.camera_id, n.start_time + o.offset_ms * interval '1 millisecond'
                 FROM generate_series(0, {annotations - 1}) g
                 CROSS JOIN LATERAL (SELECT ((g * 2654435761) % 3600000)::int AS offset_ms) o
                 JOIN numbered n ON n.n = (g * 7) % (SELECT count(*) FROM numbered)
                 JOIN sentences s ON s.n = (g * 31) % {Sentences};
             """);
        Console.WriteLine($"  {annotations:N0} notes in {watch.Elapsed.TotalSeconds:F0} s");
        watch.Restart();
        await Run("ALTER TABLE annotations ENABLE TRIGGER USER; ALTER TABLE video_tags ENABLE TRIGGER USER; ALTER TABLE tags ENABLE TRIGGER USER; ALTER TABLE incidents ENABLE TRIGGER USER");
        await Run(
            """
            SET maintenance_work_mem = '1GB';
            DROP INDEX idx_search_entries_vector;
            SELECT search_entries_rebuild();
            CREATE INDEX idx_search_entries_vector ON search_entries USING gin(search_vector);
            """);
        Console.WriteLine($"  search index over incidents, notes, tags and segments rebuilt in {watch.Elapsed.TotalSeconds:F0} s");
        watch.Restart();
        foreach (var table in new[] { "annotations", "tags", "video_tags", "search_entries" })
        {
            await Run($"VACUUM ANALYZE {table}");
        }

        Console.WriteLine($"  VACUUM ANALYZE in {watch.Elapsed.TotalSeconds:F0} s");
    }
}

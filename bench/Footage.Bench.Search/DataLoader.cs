using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Footage.Bench.Search;

/// <summary>Bulk-loads cameras, segments and incidents with binary COPY (the search trigger fills search_vector as rows arrive).</summary>
public sealed class DataLoader(string connectionString, Vocabulary words, DateTimeOffset now)
{
    public const int Cameras = 500;
    private static readonly string[] Severities = ["LOW", "LOW", "LOW", "LOW", "MEDIUM", "MEDIUM", "MEDIUM", "HIGH", "HIGH", "CRITICAL"];

    public Guid[] CameraIds { get; } = Enumerable.Range(0, Cameras).Select(i => new Guid($"00000000-0000-4000-8000-{i:D12}")).ToArray();

    public async Task<bool> AlreadyLoadedAsync(int segments, int incidents)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM segments)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0) >= incidents && reader.GetInt64(1) >= segments;
    }

    public async Task LoadAsync(int segments, int incidents)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var watch = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync("COPY cameras (id, name, source, storage_mode, enabled, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < Cameras; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(CameraIds[i], NpgsqlDbType.Uuid);
                await copy.WriteAsync($"Camera {i}", NpgsqlDbType.Varchar);
                await copy.WriteAsync($"district-{i % 10}", NpgsqlDbType.Varchar);
                await copy.WriteAsync("LOCAL", NpgsqlDbType.Varchar);
                await copy.WriteAsync(true, NpgsqlDbType.Boolean);
                await copy.WriteAsync(now.UtcDateTime, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now.UtcDateTime, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        var perCamera = (segments + Cameras - 1) / Cameras;
        var first = now.AddHours(-perCamera).UtcDateTime;
        first = first.AddTicks(-(first.Ticks % TimeSpan.TicksPerHour));
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY segments (id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_path, checksum, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            var written = 0;
            for (var hour = 0; hour < perCamera && written < segments; hour++)
            {
                for (var c = 0; c < Cameras && written < segments; c++, written++)
                {
                    var start = first.AddHours(hour);
                    await copy.StartRowAsync();
                    await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(CameraIds[c], NpgsqlDbType.Uuid);
                    await copy.WriteAsync(start, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(start.AddHours(1), NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(3600, NpgsqlDbType.Integer);
                    await copy.WriteAsync(1_887_436_800L, NpgsqlDbType.Bigint);
                    await copy.WriteAsync("filesystem", NpgsqlDbType.Varchar);
                    await copy.WriteAsync($"{CameraIds[c]}/{start:yyyy/MM/dd/HH-mm-ss}.ts", NpgsqlDbType.Text);
                    await copy.WriteAsync(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), NpgsqlDbType.Varchar);
                    await copy.WriteAsync(start.AddHours(1), NpgsqlDbType.TimestampTz);
                }
            }

            await copy.CompleteAsync();
        }

        Console.WriteLine($"  {segments:N0} segments and {Cameras} cameras loaded in {watch.Elapsed.TotalSeconds:F0} s");
        watch.Restart();

        var random = new Random(42);
        // the search index is filled in one pass after every table is loaded (NotesLoader), not row by row
        await using (var disable = new NpgsqlCommand("ALTER TABLE incidents DISABLE TRIGGER incidents_search_entries", connection))
        {
            await disable.ExecuteNonQueryAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY incidents (id, title, description, severity, status, camera_ids, start_time, end_time, tags, assigned_to, created_by, created_at, updated_at, closed_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < incidents; i++)
            {
                var created = now.AddMinutes(-random.Next(0, 90 * 24 * 60)).UtcDateTime;
                var start = created.AddMinutes(-random.Next(5, 600));
                var roll = random.Next(100);
                var status = roll < 90 ? "CLOSED" : roll < 95 ? "INVESTIGATING" : "OPEN";
                var cameras = Enumerable.Range(0, random.Next(1, 4)).Select(_ => CameraIds[random.Next(Cameras)]).Distinct().ToArray();
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(words.Sentence(random, 3, 8), NpgsqlDbType.Varchar);
                await copy.WriteAsync(words.Sentence(random, 15, 40), NpgsqlDbType.Text);
                await copy.WriteAsync(Severities[random.Next(Severities.Length)], NpgsqlDbType.Varchar);
                await copy.WriteAsync(status, NpgsqlDbType.Varchar);
                await copy.WriteAsync(cameras, NpgsqlDbType.Array | NpgsqlDbType.Uuid);
                await copy.WriteAsync(start, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(start.AddMinutes(random.Next(1, 120)), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(new[] { words[random.Next(64)] }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync($"officer{random.Next(200)}", NpgsqlDbType.Varchar);
                await copy.WriteAsync($"operator{random.Next(50)}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz);
                if (status == "CLOSED")
                {
                    await copy.WriteAsync(created.AddDays(1), NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await copy.WriteNullAsync();
                }
            }

            await copy.CompleteAsync();
        }

        Console.WriteLine($"  {incidents:N0} incidents loaded (search_vector by the spec's trigger) in {watch.Elapsed.TotalSeconds:F0} s");
        watch.Restart();
        await using (var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 3600 })
        {
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"  VACUUM ANALYZE in {watch.Elapsed.TotalSeconds:F0} s");
    }
}

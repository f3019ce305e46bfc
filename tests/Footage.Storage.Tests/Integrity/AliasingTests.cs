using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Data;
using Footage.Data.Migrations;
using Footage.Storage.Holds;
using Footage.Storage.Tests.Backends;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Integrity;

/// <summary>
/// One stored object is one catalog row: a registration may only name the key derived from its own camera and start, and the
/// database refuses a second row for an object, so nobody can file one camera's footage as another's or delete held footage
/// through a second row pointing at it.
/// </summary>
public abstract class AliasingTests(DatabaseKind database, PostgresServer postgres) : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FootageServer.StartAsync(database, postgres);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_registration_pointing_at_another_segments_object_or_another_cameras_key_is_refused_naming_storage_path()
    {
        var camera = Guid.NewGuid();
        var start = StoredSegments.Now().AddDays(-1);
        var content = RandomNumberGenerator.GetBytes(5000);
        var original = await StoredSegments.StoreAndRegisterAsync(_server, camera, start, start.AddMinutes(1), content);
        var key = original.GetProperty("storage_path").GetString()!;
        var other = Guid.NewGuid();

        // another camera claiming the held object, the same camera at another start, and a free-form key
        foreach (var (claimant, at, path) in new[] { (other, start, key), (camera, start.AddHours(1), key), (other, start, $"{other}/elsewhere.ts") })
        {
            var problem = await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", Body(claimant, at, content, path)))
                .AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["storage_path"], problem.ErrorFields());
        }

        // filing the footage as another camera's (the key derived from that camera): there is no such object
        var refused = await (await _server.Admin.PostAsJsonAsync("api/v1/storage/segments", Body(other, start, content, path: null)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["storage_path"], refused.ErrorFields());

        var rows = await _server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/segments/{other}");
        Assert.Empty(rows.GetProperty("items").EnumerateArray());
        var kept = await (await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{original.GetProperty("id")}")).AssertJsonAsync(HttpStatusCode.OK);
        Assert.Equal(original.GetProperty("checksum").GetString(), kept.GetProperty("checksum").GetString());
        Assert.Equal(key, kept.GetProperty("storage_path").GetString());
    }

    [Fact]
    public async Task The_database_refuses_a_second_row_for_a_stored_object()
    {
        var camera = Guid.NewGuid();
        var start = StoredSegments.Now().AddDays(-1);
        var original = await StoredSegments.StoreAndRegisterAsync(_server, camera, start, start.AddMinutes(1), RandomNumberGenerator.GetBytes(100));

        var db = _server.Get<IDatabase>();
        var d = db.Dialect;
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var insert = connection.Command(
                """
                INSERT INTO segments (id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_path, checksum, created_at)
                VALUES (@id, @camera, @start, @end, 60, 100, @backend, @path, NULL, @start)
                """)
            .With("id", d.Id(Guid.NewGuid())).With("camera", d.Id(Guid.NewGuid())).With("start", d.Time(start)).With("end", d.Time(start.AddMinutes(1)))
            .With("backend", original.GetProperty("storage_backend").GetString()).With("path", original.GetProperty("storage_path").GetString());
        var refused = await Assert.ThrowsAnyAsync<DbException>(() => insert.ExecuteNonQueryAsync());
        Assert.True(DbErrors.IsUniqueViolation(refused), refused.Message);
    }

    [Fact]
    public async Task A_held_segment_survives_an_alias_attempt_a_delete_and_a_retention_run()
    {
        await using var server = await FootageServer.StartAsync(database, postgres, new Dictionary<string, string?> { ["Footage:Storage:Retention:RecordingsDays"] = "30" });
        var camera = Guid.NewGuid();
        var start = StoredSegments.Now().AddDays(-40);
        var content = RandomNumberGenerator.GetBytes(20_000);
        var held = await StoredSegments.StoreAndRegisterAsync(server, camera, start, start.AddMinutes(10), content);
        var id = held.GetProperty("id").GetGuid();
        await server.Get<SegmentHoldLedger>().ReplaceAsync("test", "alias", [new SegmentHold(camera, new TimeRange(start, start.AddMinutes(10)), "incident X")],
            CancellationToken.None);

        // the issue's attack: a second row over the held object, then deleting that row
        var alias = Guid.NewGuid();
        await (await server.Admin.PostAsJsonAsync("api/v1/storage/segments", Body(alias, start.AddDays(1), content, held.GetProperty("storage_path").GetString())))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await server.Admin.DeleteAsync($"api/v1/storage/segments/{id}")).AssertProblemAsync(HttpStatusCode.Conflict);
        var report = await (await server.Admin.PostAsync("api/v1/storage/retention/run", null)).AssertJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, report.GetProperty("segments_kept_under_hold").GetInt32());
        var now = await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{id}")).AssertJsonAsync(HttpStatusCode.OK);
        var bytes = await (await server.Admin.GetAsync($"api/v1/storage/segments/by-id/{id}/content")).Content.ReadAsByteArrayAsync();
        Assert.Equal(content, bytes);
        Assert.True(now.GetProperty("evidence_hold").GetBoolean());
    }

    [Fact]
    public async Task The_upgrade_keeps_the_first_row_of_each_object_and_moves_the_aliases_aside()
    {
        var db = database == DatabaseKind.Postgres
            ? (IDatabase)new PostgresDatabase(await postgres.CreateDatabaseAsync(), 30)
            : new SqliteDatabase($"Data Source={Path.Combine(_server.DataDirectory, "upgrade.db")}", 30);
        var v1 = new StorageMigrations().Migrations.Where(m => m.Version == 1).ToArray();
        await new MigrationRunner(db, [new SharedMigrations(), new FixedMigrations(v1)],
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        var camera = Guid.NewGuid();
        var start = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var path = ObjectKeys.ForSegment(camera, start);
        var original = await InsertAsync(db, camera, start, path, createdAt: start);
        var alias = await InsertAsync(db, Guid.NewGuid(), start.AddDays(1), path, createdAt: start.AddDays(2));
        var unrelated = await InsertAsync(db, camera, start.AddHours(1), ObjectKeys.ForSegment(camera, start.AddHours(1)), createdAt: start.AddHours(1));

        await new MigrationRunner(db, [new SharedMigrations(), new StorageMigrations()],
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);

        Assert.Equal(new[] { original, unrelated }.Order(), (await IdsAsync(db, "SELECT id FROM segments")).Order());
        Assert.Equal([alias], await IdsAsync(db, "SELECT id FROM segment_aliases"));
        Assert.Equal([original], await IdsAsync(db, "SELECT kept_segment_id FROM segment_aliases"));
        Assert.Equal(["cctv-recordings"], (await StringsAsync(db, "SELECT DISTINCT storage_bucket FROM segments")).ToArray());
    }

    private static object Body(Guid camera, DateTimeOffset start, byte[] content, string? path) => new
    {
        camera_id = camera,
        start_time = start,
        end_time = start.AddMinutes(1),
        size_bytes = content.Length,
        storage_path = path,
        checksum = Convert.ToHexStringLower(SHA256.HashData(content)),
    };

    private static async Task<Guid> InsertAsync(IDatabase db, Guid camera, DateTimeOffset start, string path, DateTimeOffset createdAt)
    {
        var d = db.Dialect;
        var id = Guid.NewGuid();
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var insert = connection.Command(
                """
                INSERT INTO segments (id, camera_id, start_time, end_time, duration_seconds, size_bytes, storage_backend, storage_path, checksum, created_at)
                VALUES (@id, @camera, @start, @end, 60, 100, 'filesystem', @path, NULL, @created)
                """)
            .With("id", d.Id(id)).With("camera", d.Id(camera)).With("start", d.Time(start)).With("end", d.Time(start.AddMinutes(1))).With("path", path)
            .With("created", d.Time(createdAt));
        await insert.ExecuteNonQueryAsync();
        return id;
    }

    private static async Task<IReadOnlyList<Guid>> IdsAsync(IDatabase db, string sql) =>
        (await StringsAsync(db, sql, (r, d) => d.ReadId(r, 0).ToString())).Select(Guid.Parse).ToArray();

    private static async Task<IReadOnlyList<string>> StringsAsync(IDatabase db, string sql, Func<DbDataReader, SqlDialect, string>? read = null)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync())
        {
            list.Add(read is null ? reader.GetString(0) : read(reader, db.Dialect));
        }

        return list;
    }

    private sealed class FixedMigrations(IEnumerable<Migration> migrations) : IMigrationSource
    {
        public IEnumerable<Migration> Migrations => migrations;
    }
}

public sealed class SqliteAliasingTests(PostgresServer postgres) : AliasingTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresAliasingTests(PostgresServer postgres) : AliasingTests(DatabaseKind.Postgres, postgres);

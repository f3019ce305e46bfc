using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Metadata.Tests.Support;
using Footage.Testing;
using Xunit;
using static Footage.Metadata.Tests.Support.MetadataClient;

namespace Footage.Metadata.Tests.Custody;

/// <summary>The chain of custody: every action appended, hash-linked, verifiable, and tampering found; on SQLite and PostgreSQL.</summary>
public abstract class CustodyTests(DatabaseKind database, Hosts hosts) : IClassFixture<Hosts>
{
    private Task<FootageServer> ServerAsync() => hosts.GetAsync(database);

    private static object Incident(Guid camera, int fromHour = 10, int toHour = 11) => new
    {
        title = "Assault near the station", severity = "CRITICAL", camera_ids = new[] { camera },
        start_time = Iso(At(fromHour)), end_time = Iso(At(toHour)),
    };

    private static async Task<JsonElement[]> EntriesAsync(HttpClient client, Guid incident) =>
        (await client.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents/{incident}/custody")).GetProperty("items").EnumerateArray().ToArray();

    [Fact]
    public async Task Every_action_on_an_incident_is_appended_to_a_hash_chain_that_verifies()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var viewer = await server.ClientAsync("viewer");
        var id = (await op.CreateIncidentAsync(Incident(Guid.NewGuid()))).Id();
        var url = $"api/v1/metadata/incidents/{id}";
        await viewer.GetFromJsonAsync<JsonElement>(url);
        (await op.PatchJsonAsync(url, new { status = "INVESTIGATING" })).EnsureSuccessStatusCode();
        (await op.PatchJsonAsync(url, new { tags = new[] { "evidence" }, assigned_to = "det.ruiz" })).EnsureSuccessStatusCode();
        (await op.PatchJsonAsync(url, new { status = "CLOSED" })).EnsureSuccessStatusCode();
        (await op.PatchJsonAsync(url, new { status = "CLOSED" })).EnsureSuccessStatusCode();

        var entries = await EntriesAsync(viewer, id);
        Assert.Equal(["CREATED", "VIEWED", "STATUS_CHANGED", "TAGGED", "UPDATED", "CLOSED"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal([1, 2, 3, 4, 5, 6], entries.Select(e => e.GetProperty("sequence").GetInt32()));
        Assert.Equal(new string('0', 64), entries[0].GetProperty("previous_hash").GetString());
        for (var i = 1; i < entries.Length; i++)
        {
            Assert.Equal(entries[i - 1].GetProperty("hash").GetString(), entries[i].GetProperty("previous_hash").GetString());
        }

        Assert.StartsWith("operator-", entries[0].GetProperty("actor").GetString());
        Assert.StartsWith("viewer-", entries[1].GetProperty("actor").GetString());
        Assert.Equal("OPEN", entries[2].GetProperty("details").GetProperty("from").GetString());
        Assert.Equal("det.ruiz", entries[4].GetProperty("details").GetProperty("assigned_to").GetProperty("to").GetString());
        Assert.Equal("Assault near the station", entries[0].GetProperty("details").GetProperty("title").GetString());

        var verified = await viewer.GetFromJsonAsync<JsonElement>($"{url}/custody/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(6, verified.GetProperty("entries").GetInt32());
        Assert.Equal(entries[^1].GetProperty("hash").GetString(), verified.GetProperty("last_hash").GetString());

        var paged = await viewer.GetFromJsonAsync<JsonElement>($"{url}/custody?after=2&limit=3");
        Assert.Equal([3, 4, 5], paged.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt32()));
        Assert.Equal(5, paged.GetProperty("next_after").GetInt32());
    }

    [Fact]
    public async Task A_row_changed_in_the_database_fails_verification_at_that_row()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var id = (await op.CreateIncidentAsync(Incident(Guid.NewGuid()))).Id();
        var url = $"api/v1/metadata/incidents/{id}";
        for (var i = 0; i < 3; i++)
        {
            await op.GetFromJsonAsync<JsonElement>(url);
        }

        var db = server.Get<IDatabase>();
        await using var connection = await db.OpenAsync(CancellationToken.None);

        // the database itself refuses edits through ordinary statements
        await Assert.ThrowsAnyAsync<DbException>(() => Execute(connection, db, "UPDATE custody_log SET actor = 'mallory' WHERE incident_id = @id AND sequence = 2", id));
        await Assert.ThrowsAnyAsync<DbException>(() => Execute(connection, db, "DELETE FROM custody_log WHERE incident_id = @id AND sequence = 2", id));
        Assert.True((await op.GetFromJsonAsync<JsonElement>($"{url}/custody/verify")).GetProperty("valid").GetBoolean());

        // someone with the database owner's rights switches that off and rewrites who viewed it
        await Execute(connection, db, db.Dialect.IsPostgres ? "ALTER TABLE custody_log DISABLE TRIGGER custody_log_append_only" : "DROP TRIGGER custody_log_no_update", id);
        await Execute(connection, db, "UPDATE custody_log SET actor = 'mallory' WHERE incident_id = @id AND sequence = 3", id);
        await Execute(connection, db, db.Dialect.IsPostgres
            ? "ALTER TABLE custody_log ENABLE TRIGGER custody_log_append_only"
            : "CREATE TRIGGER custody_log_no_update BEFORE UPDATE ON custody_log BEGIN SELECT RAISE(ABORT, 'custody_log is append-only'); END", id);

        var verified = await op.GetFromJsonAsync<JsonElement>($"{url}/custody/verify");
        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(3, verified.GetProperty("first_broken_sequence").GetInt32());
        var tampered = (await EntriesAsync(op, id)).Single(e => e.GetProperty("sequence").GetInt32() == 3);
        Assert.Equal("mallory", tampered.GetProperty("actor").GetString());
        Assert.Equal(tampered.GetProperty("id").GetGuid(), verified.GetProperty("first_broken_entry_id").GetGuid());
        Assert.Equal(2, verified.GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task Concurrent_appends_keep_one_unbroken_chain()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var viewer = await server.ClientAsync("viewer");
        var id = (await op.CreateIncidentAsync(Incident(Guid.NewGuid()))).Id();
        var url = $"api/v1/metadata/incidents/{id}";
        var views = Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? op : viewer).GetAsync(url));
        var results = await Task.WhenAll(views);
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var entries = await EntriesAsync(op, id);
        Assert.Equal(Enumerable.Range(1, 17), entries.Select(e => e.GetProperty("sequence").GetInt32()));
        var verified = await op.GetFromJsonAsync<JsonElement>($"{url}/custody/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
        Assert.Equal(17, verified.GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task Tagging_annotating_and_exporting_covered_footage_is_recorded_with_the_footage_hashes()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var camera = Guid.NewGuid();
        var elsewhere = Guid.NewGuid();
        var id = (await op.CreateIncidentAsync(Incident(camera))).Id();
        var segment = await server.RegisterSegmentAsync(camera, At(10), At(10, 30));
        var outside = await server.RegisterSegmentAsync(camera, At(14), At(15));
        var other = await server.RegisterSegmentAsync(elsewhere, At(10), At(10, 30));
        var tag = await op.CreateTagAsync(UniqueWord());

        foreach (var s in new[] { segment, outside, other })
        {
            (await op.PostAsJsonAsync($"api/v1/metadata/segments/{s.Id()}/tags", new { tag_id = tag.Id() })).EnsureSuccessStatusCode();
        }

        (await op.PostAsJsonAsync("api/v1/metadata/annotations", new { segment_id = segment.Id(), timestamp_offset = 60_000, type = "event", content = "suspect enters" }))
            .EnsureSuccessStatusCode();
        var export = await (await op.PostAsJsonAsync("api/v1/storage/exports", new { camera_ids = new[] { camera }, start_time = At(10), end_time = At(10, 20) }))
            .AssertJsonAsync(HttpStatusCode.Accepted);

        var entries = await EntriesAsync(op, id);
        var actions = entries.Select(e => e.GetProperty("action").GetString()).ToArray();
        Assert.Equal(["CREATED", "SEGMENT_TAGGED", "ANNOTATED", "EXPORT_CREATED"], actions.Take(4));
        var tagged = entries[1].GetProperty("details");
        Assert.Equal(segment.GetProperty("checksum").GetString(), tagged.GetProperty("segments")[0].GetProperty("sha256").GetString());
        Assert.Contains(segment.Id().ToString(), tagged.GetProperty("subject").GetString());
        var exported = entries[3];
        Assert.StartsWith("operator-", exported.GetProperty("actor").GetString());
        Assert.Equal($"export {export.Id()}", exported.GetProperty("details").GetProperty("subject").GetString());
        Assert.Equal(segment.GetProperty("checksum").GetString(), exported.GetProperty("details").GetProperty("segments")[0].GetProperty("sha256").GetString());
        Assert.True((await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents/{id}/custody/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_completed_and_downloaded_export_is_recorded_with_the_export_file_hash()
    {
        var server = await ServerAsync();
        var op = await server.ClientAsync("operator");
        var camera = Guid.NewGuid();
        var id = (await op.CreateIncidentAsync(Incident(camera))).Id();

        using var folder = new TempFolder("custody-media");
        var file = await TestMedia.MakeTsAsync(Path.Combine(folder.Path, "clip.ts"), 3);
        var bytes = await File.ReadAllBytesAsync(file);
        var path = ObjectKeys.ForSegment(camera, At(10));
        await server.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Recordings, path, new MemoryStream(bytes), null, CancellationToken.None);
        (await server.Admin.PostAsJsonAsync("api/v1/storage/segments", new
        {
            camera_id = camera, start_time = At(10), end_time = At(10).AddSeconds(3), size_bytes = bytes.Length, storage_path = path,
            checksum = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        })).EnsureSuccessStatusCode();

        var export = await (await op.PostAsJsonAsync("api/v1/storage/exports", new { camera_ids = new[] { camera }, start_time = At(10), end_time = At(10).AddSeconds(3) }))
            .AssertJsonAsync(HttpStatusCode.Accepted);
        JsonElement state;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(200);
            state = await op.GetFromJsonAsync<JsonElement>($"api/v1/storage/exports/{export.Id()}");
        }
        while (state.GetProperty("status").GetString() is "PENDING" or "PROCESSING" && DateTime.UtcNow < deadline);

        Assert.Equal("COMPLETED", state.GetProperty("status").GetString());
        var download = await op.GetAsync($"api/v1/storage/exports/{export.Id()}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var downloaded = Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync()));

        var entries = await EntriesAsync(op, id);
        Assert.Equal(["CREATED", "EXPORT_CREATED", "EXPORT_COMPLETED", "EXPORT_DOWNLOADED"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(downloaded, entries[2].GetProperty("details").GetProperty("hashes").GetProperty("export").GetString());
        Assert.Equal(downloaded, entries[3].GetProperty("details").GetProperty("hashes").GetProperty("export").GetString());
        Assert.StartsWith("operator-", entries[3].GetProperty("actor").GetString());
        Assert.True((await op.GetFromJsonAsync<JsonElement>($"api/v1/metadata/incidents/{id}/custody/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task No_endpoint_edits_or_deletes_custody_entries()
    {
        var server = await ServerAsync();
        var id = (await server.Admin.CreateIncidentAsync(Incident(Guid.NewGuid()))).Id();
        var url = $"api/v1/metadata/incidents/{id}/custody";
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Admin.DeleteAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Admin.PostAsJsonAsync(url, new { action = "CREATED" })).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Admin.PutAsJsonAsync(url, new { action = "CREATED" })).StatusCode);
        Assert.Single(await EntriesAsync(server.Admin, id));
    }

    private static async Task Execute(DbConnection connection, IDatabase db, string sql, Guid incident)
    {
        await using var command = connection.Command(sql);
        if (sql.Contains("@id", StringComparison.Ordinal))
        {
            command.With("id", db.Dialect.Id(incident));
        }

        await command.ExecuteNonQueryAsync();
    }
}

public sealed class SqliteCustodyTests(Hosts hosts) : CustodyTests(DatabaseKind.Sqlite, hosts);

public sealed class PostgresCustodyTests(Hosts hosts) : CustodyTests(DatabaseKind.Postgres, hosts);

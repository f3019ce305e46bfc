using System.Security.Cryptography;
using Footage.Core.Storage;
using Footage.Data;
using Footage.Storage.Tests.Exports;
using Footage.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace Footage.Storage.Tests.Clips;

/// <summary>
/// A clip whose worker died after uploading part of it is made again by the next worker: cctv-clips is write-once and a
/// package's signature differs on every build, so what the dead attempt left must not block the clip.
/// </summary>
public abstract class ClipRetryTests(DatabaseKind database, PostgresServer postgres) : IDisposable
{
    private readonly TempFolder _data = new("footage-clip-retry");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_clip_left_half_uploaded_by_a_dead_worker_completes_on_the_next_one()
    {
        var camera = Guid.NewGuid();
        var t0 = Backends.StoredSegments.Now().AddHours(-1);
        Dictionary<string, string?> settings = new() { ["Footage:DataDirectory"] = _data.Path, ["Footage:Storage:Clips:WorkerEnabled"] = "false" };
        Guid incident;
        Guid id;
        await using (var idle = await FootageServer.StartAsync(database, postgres, settings))
        {
            if (database == DatabaseKind.Postgres)
            {
                settings["Footage:Database:Provider"] = "postgresql";
                settings["Footage:Database:ConnectionString"] = idle.Get<IOptions<DatabaseOptions>>().Value.ConnectionString;
            }

            await RecordedFootage.RecordAsync(idle, camera, t0, count: 2);
            var op = await idle.ClientAsync("operator");
            incident = await IncidentClips.CreateIncidentAsync(op, [camera], t0.AddSeconds(1), t0.AddSeconds(7));
            id = (await IncidentClips.CreateClipAsync(op, incident, margin: 1)).GetProperty("id").GetGuid();

            // what a worker killed between its two uploads leaves: the package (another build's bytes), no manifest, no completion
            await idle.Get<IStorageBackendRegistry>().Default.PutAsync(StorageBuckets.Clips, $"incidents/{incident:D}/{id:D}/clip-{id:D}.zip",
                new MemoryStream(RandomNumberGenerator.GetBytes(5000)), null, CancellationToken.None);
        }

        settings["Footage:Storage:Clips:WorkerEnabled"] = "true";
        await using var server = await FootageServer.StartAsync(database, postgres, settings);
        var clip = await IncidentClips.WaitUntilFinishedAsync(await server.ClientAsync("operator"), id);
        Assert.True(clip.GetProperty("status").GetString() == "COMPLETED", clip.ToString());
        Assert.Equal([$"incidents/{incident:D}/{id:D}/clip-{id:D}.zip", $"incidents/{incident:D}/{id:D}/manifest.json"],
            await IncidentClips.StoredKeysAsync(server, incident));
        await using var stored = (await server.Get<IStorageBackendRegistry>().Default.OpenReadAsync(
            StorageBuckets.Clips, $"incidents/{incident:D}/{id:D}/clip-{id:D}.zip", null, CancellationToken.None))!;
        Assert.Equal(clip.GetProperty("checksum").GetString(), Convert.ToHexStringLower(await SHA256.HashDataAsync(stored.Content)));
    }
}

public sealed class SqliteClipRetryTests(PostgresServer postgres) : ClipRetryTests(DatabaseKind.Sqlite, postgres);

public sealed class PostgresClipRetryTests(PostgresServer postgres) : ClipRetryTests(DatabaseKind.Postgres, postgres);

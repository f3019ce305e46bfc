using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Recording.Spool;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Integrity;

/// <summary>
/// Stored footage is never overwritten: a recording that claims a camera and start where other footage is already
/// catalogued or stored is kept under its own quarantine key with its own row, and the original bytes and row stay as they
/// were. On both databases, on the filesystem and on the RADOS Gateway.
/// </summary>
public abstract class ConflictingUploadTests(DatabaseKind database, PostgresServer postgres, RadosGateway rgw, bool s3) : IAsyncLifetime
{
    private readonly TempFolder _data = new("recording-conflict");
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Footage:DataDirectory"] = _data.Path };
        if (s3)
        {
            foreach (var (key, value) in S3Settings(rgw))
            {
                settings[key] = value;
            }
        }

        _server = await FootageServer.StartAsync(database, postgres, FastSettings(settings));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task A_conflicting_recording_is_quarantined_and_the_original_bytes_and_row_stay_untouched()
    {
        var camera = Guid.NewGuid();
        var start = new DateTimeOffset(2026, 11, 20, 10, 0, 0, 123, TimeSpan.Zero).AddDays(Random.Shared.Next(1, 300));
        await SpoolAsync(camera, "r1-000000.ts", start, 2, "testsrc2");
        await WaitForSegmentsAsync(_server, camera, 1);
        var original = Assert.Single(await SegmentsAsync(_server, camera));
        var originalBytes = await ReadAsync(original.StorageBackend, original.StorageBucket, original.StoragePath);
        var before = await QuarantinedCountAsync();

        // a second recording of that camera claiming the same start (a restarted recorder, a clock set back)
        var other = await SpoolAsync(camera, "r2-000000.ts", start, 3, "smptebars");
        var quarantined = await WaitForQuarantineAsync(camera);

        var kept = Assert.Single(await SegmentsAsync(_server, camera));
        Assert.Equal(original with { Keyframes = null }, kept with { Keyframes = null });
        Assert.Equal(originalBytes, await ReadAsync(kept.StorageBackend, kept.StorageBucket, kept.StoragePath));
        var otherSha = Convert.ToHexStringLower(SHA256.HashData(other));
        Assert.Equal(ObjectKeys.ForQuarantine(camera, start, otherSha), quarantined.GetProperty("storage_path").GetString());
        Assert.Equal(StorageBuckets.Clips, quarantined.GetProperty("storage_bucket").GetString());
        Assert.Equal(original.Id, quarantined.GetProperty("conflicting_segment_id").GetGuid());
        Assert.Equal(other, await ReadAsync(original.StorageBackend, StorageBuckets.Clips, quarantined.GetProperty("storage_path").GetString()!));
        Assert.True(await QuarantinedCountAsync() >= before + 1, "the quarantine is counted (other tests of this process may count theirs too)");
        await WaitForEmptySpoolAsync(_server, camera);
    }

    [Fact]
    public async Task A_recording_whose_key_already_holds_other_bytes_is_quarantined_and_the_stored_object_is_not_replaced()
    {
        var camera = Guid.NewGuid();
        var start = new DateTimeOffset(2026, 11, 21, 10, 0, 0, 456, TimeSpan.Zero).AddDays(Random.Shared.Next(1, 300));
        var backend = _server.Get<IStorageBackendRegistry>().Default;
        var stray = RandomNumberGenerator.GetBytes(188 * 100);
        await backend.PutAsync(StorageBuckets.Recordings, ObjectKeys.ForSegment(camera, start), new MemoryStream(stray), null, CancellationToken.None);

        var recording = await SpoolAsync(camera, "r1-000000.ts", start, 2, "testsrc2");
        var quarantined = await WaitForQuarantineAsync(camera);

        Assert.Empty(await SegmentsAsync(_server, camera));
        Assert.Equal(stray, await ReadAsync(backend.Name, StorageBuckets.Recordings, ObjectKeys.ForSegment(camera, start)));
        Assert.Equal(JsonValueKind.Null, quarantined.GetProperty("conflicting_segment_id").ValueKind);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(stray)), quarantined.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(recording, await ReadAsync(backend.Name, StorageBuckets.Clips, quarantined.GetProperty("storage_path").GetString()!));
    }

    /// <summary>Puts a closed recording in the camera's spool as the recorder leaves one, and wakes the uploader; returns its bytes.</summary>
    private async Task<byte[]> SpoolAsync(Guid camera, string file, DateTimeOffset start, int seconds, string pattern)
    {
        var folder = Path.Combine(_data.Path, "spool", camera.ToString("D"));
        var path = await TestMedia.MakeTsAsync(Path.Combine(folder, file), seconds, pattern);
        await new SpooledSegment(camera, file, start, start.AddSeconds(seconds)).WriteAsync(folder, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(path);
        _server.Get<SpoolUploader>().Wake();
        return bytes;
    }

    private async Task<JsonElement> WaitForQuarantineAsync(Guid camera)
    {
        JsonElement found = default;
        await WaitUntilAsync(async () =>
        {
            var list = await _server.Admin.GetFromJsonAsync<JsonElement>("api/v1/storage/quarantine");
            found = list.EnumerateArray().FirstOrDefault(q => q.GetProperty("camera_id").GetGuid() == camera);
            return found.ValueKind == JsonValueKind.Object;
        }, $"a recording of camera {camera} is quarantined");
        return found;
    }

    private async Task<byte[]> ReadAsync(string backend, string bucket, string key)
    {
        await using var read = await _server.Get<IStorageBackendRegistry>().Get(backend).OpenReadAsync(bucket, key, null, CancellationToken.None);
        Assert.NotNull(read);
        using var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<double> QuarantinedCountAsync()
    {
        var metrics = await _server.Admin.GetStringAsync("metrics");
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("footage_segments_quarantined_total ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class SqliteFilesystemConflictingUploadTests(PostgresServer postgres, RadosGateway rgw) : ConflictingUploadTests(DatabaseKind.Sqlite, postgres, rgw, s3: false);

public sealed class PostgresFilesystemConflictingUploadTests(PostgresServer postgres, RadosGateway rgw) : ConflictingUploadTests(DatabaseKind.Postgres, postgres, rgw, s3: false);

public sealed class SqliteS3ConflictingUploadTests(PostgresServer postgres, RadosGateway rgw) : ConflictingUploadTests(DatabaseKind.Sqlite, postgres, rgw, s3: true);

public sealed class PostgresS3ConflictingUploadTests(PostgresServer postgres, RadosGateway rgw) : ConflictingUploadTests(DatabaseKind.Postgres, postgres, rgw, s3: true);

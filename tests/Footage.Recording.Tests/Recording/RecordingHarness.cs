using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;

namespace Footage.Recording.Tests.Recording;

/// <summary>What the recording tests share: fast settings, cameras through the API, and checks of what reached storage.</summary>
public static class RecordingHarness
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Short segments and quick fault detection so that a test records several segments in seconds.</summary>
    public static Dictionary<string, string?> FastSettings(IDictionary<string, string?>? extra = null)
    {
        var settings = FastRecordingSettings.Create();
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The S3 backend on the gateway as the default one, with the storage identity (all four buckets).</summary>
    public static Dictionary<string, string?> S3Settings(RadosGateway s3) => new(s3.S3Settings(s3.Identities.Storage), StringComparer.OrdinalIgnoreCase)
    {
        ["Footage:Storage:DefaultBackend"] = "s3",
    };

    public static async Task<Guid> CreateCameraAsync(FootageServer server, string rtspUrl, string source = "sim", string storageMode = "LOCAL")
    {
        var response = await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "cam " + Guid.NewGuid().ToString("N")[..6], source, rtsp_url = rtspUrl, storage_mode = storageMode });
        var camera = await response.AssertJsonAsync(HttpStatusCode.Created);
        return camera.GetProperty("id").GetGuid();
    }

    public static async Task StartRecordingAsync(FootageServer server, Guid cameraId)
    {
        var response = await server.Admin.PostAsync($"api/v1/recording/start/{cameraId}", null);
        await response.AssertJsonAsync(HttpStatusCode.Accepted);
    }

    public static async Task StopRecordingAsync(FootageServer server, Guid cameraId)
    {
        var response = await server.Admin.PostAsync($"api/v1/recording/stop/{cameraId}", null);
        await response.AssertJsonAsync(HttpStatusCode.OK);
    }

    public static async Task<JsonElement> CameraStatusAsync(FootageServer server, Guid cameraId) =>
        await server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/recording/status/{cameraId}");

    public static async Task<IReadOnlyList<Segment>> SegmentsAsync(FootageServer server, Guid cameraId)
    {
        var page = await server.Get<ISegmentCatalog>().ListAsync(new SegmentQuery(cameraId, null, null, null, 1000, IncludeKeyframes: true), CancellationToken.None);
        return page.Items;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(200);
        }
    }

    public static Task WaitForSegmentsAsync(FootageServer server, Guid cameraId, int count) =>
        WaitUntilAsync(async () => (await SegmentsAsync(server, cameraId)).Count >= count, $"camera {cameraId} has {count} segments in the catalog");

    public static Task WaitForStateAsync(FootageServer server, Guid cameraId, string state) =>
        WaitUntilAsync(async () => (await CameraStatusAsync(server, cameraId)).GetProperty("state").GetString() == state, $"camera {cameraId} is {state}");

    public static string SpoolFolder(FootageServer server, Guid cameraId) => Path.Combine(server.DataDirectory, "spool", cameraId.ToString("D"));

    public static int SpooledSegments(FootageServer server, Guid cameraId) =>
        Directory.Exists(SpoolFolder(server, cameraId)) ? Directory.GetFiles(SpoolFolder(server, cameraId), "*.ts.json").Length : 0;

    public static Task WaitForEmptySpoolAsync(FootageServer server, Guid cameraId) =>
        WaitUntilAsync(() => Task.FromResult(!Directory.Exists(SpoolFolder(server, cameraId)) || Directory.GetFiles(SpoolFolder(server, cameraId), "*.ts*").Length == 0),
            $"the spool of camera {cameraId} is empty");

    /// <summary>
    /// Every catalogued segment is in its backend byte for byte (the stored object hashes to the catalog's
    /// SHA-256 and has its size), decodes from a key frame, and no start time is listed twice.
    /// </summary>
    public static async Task AssertStoredByteForByteAsync(FootageServer server, IReadOnlyList<Segment> segments)
    {
        Assert.NotEmpty(segments);
        Assert.Equal(segments.Count, segments.Select(s => s.StartTime).Distinct().Count());
        Assert.Equal(segments.Count, segments.Select(s => s.StoragePath).Distinct().Count());
        var backends = server.Get<IStorageBackendRegistry>();
        foreach (var segment in segments)
        {
            await using var read = await backends.Get(segment.StorageBackend).OpenReadAsync(segment.StorageBucket, segment.StoragePath, null, CancellationToken.None);
            Assert.NotNull(read);
            using var buffer = new MemoryStream();
            await read.Content.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            Assert.Equal(segment.SizeBytes, bytes.Length);
            Assert.Equal(segment.Checksum, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(0x47, bytes[0]);
            Assert.True(segment.EndTime > segment.StartTime, $"segment {segment.StoragePath} has a positive duration");
            Assert.NotNull(segment.Keyframes);
            Assert.NotEmpty(segment.Keyframes.Entries);
            Assert.Equal(0, segment.Keyframes.Entries[0].OffsetMilliseconds);
        }
    }

    /// <summary>The places where one segment does not end where the next starts (within a frame and a half): the recorded gaps.</summary>
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Gaps(IReadOnlyList<Segment> segments)
    {
        var ordered = segments.OrderBy(s => s.StartTime).ToArray();
        var gaps = new List<(DateTimeOffset, DateTimeOffset)>();
        for (var i = 1; i < ordered.Length; i++)
        {
            var previous = ordered[i - 1];
            Assert.True(ordered[i].StartTime >= previous.EndTime - TimeSpan.FromMilliseconds(60),
                $"segments overlap: {previous.StartTime:O}-{previous.EndTime:O} and {ordered[i].StartTime:O}");
            if (ordered[i].StartTime - previous.EndTime > TimeSpan.FromMilliseconds(60))
            {
                gaps.Add((previous.EndTime, ordered[i].StartTime));
            }
        }

        return gaps;
    }

    /// <summary>The camera's MP4 of an export of the range (an evidence package made, downloaded and opened as a recipient would).</summary>
    public static async Task<string> ExportAsync(FootageServer server, Guid camera, DateTimeOffset from, DateTimeOffset to)
    {
        var created = await (await server.Admin.PostAsJsonAsync("api/v1/storage/exports", new { camera_ids = new[] { camera }, start_time = from, end_time = to, reason = "recording test" }))
            .AssertJsonAsync(HttpStatusCode.Accepted);
        var id = created.GetProperty("id").GetGuid();
        JsonElement export = default;
        await WaitUntilAsync(async () =>
        {
            export = await server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/storage/exports/{id}");
            return export.GetProperty("status").GetString() is not ("PENDING" or "PROCESSING");
        }, $"export {id} is made");
        Assert.True(export.GetProperty("status").GetString() == "COMPLETED", export.ToString());
        var zip = await server.CreateClient().GetByteArrayAsync(export.GetProperty("download_url").GetString());
        return await EvidenceZip.ExtractVideoAsync(zip, camera, Path.Combine(server.DataDirectory, $"export-{camera:N}-{Guid.NewGuid():N}.mp4"));
    }
}

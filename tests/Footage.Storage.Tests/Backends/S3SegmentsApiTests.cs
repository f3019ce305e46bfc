using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Footage.Core.Storage;
using Footage.Storage.Tests.Exports;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Backends;

/// <summary>The segments API end to end with a real S3 server (Ceph's RADOS Gateway) as the default backend.</summary>
public sealed class S3SegmentsApiTests(RadosGateway rgw) : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: S3Settings(rgw));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Footage_in_s3_exports_to_s3_and_downloads_through_the_signed_link()
    {
        var camera = Guid.NewGuid();
        var t0 = StoredSegments.Now().AddHours(-1);
        await RecordedFootage.RecordAsync(_server, camera, t0, count: 2);

        var id = await RecordedFootage.CreateExportAsync(_server.Admin, new { camera_ids = new[] { camera }, start_time = t0.AddSeconds(1), end_time = t0.AddSeconds(6) });
        var export = await RecordedFootage.WaitUntilFinishedAsync(_server.Admin, id);
        Assert.True(export.GetProperty("status").GetString() == "COMPLETED", export.ToString());

        var bytes = await (await _server.CreateClient().GetAsync(export.GetProperty("download_url").GetString())).Content.ReadAsByteArrayAsync();
        Assert.Equal(export.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var s3Objects = new List<string>();
        await foreach (var item in _server.Get<IStorageBackendRegistry>().Get("s3").ListAsync(StorageBuckets.Exports, $"{id:D}/", CancellationToken.None))
        {
            s3Objects.Add(item.Key);
        }

        Assert.Equal([$"{id:D}/export-{id:D}.zip", $"{id:D}/manifest.json"], s3Objects.Order(StringComparer.Ordinal));
        using var folder = new TempFolder("footage-s3-export");
        var file = await EvidenceZip.ExtractVideoAsync(bytes, camera, Path.Combine(folder.Path, "export.mp4"));
        Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(file));
    }

    public static Dictionary<string, string?> S3Settings(RadosGateway rgw) => new(rgw.S3Settings(rgw.Identities.Storage))
    {
        ["Footage:Storage:DefaultBackend"] = "s3",
    };

    [Fact]
    public async Task A_segment_stored_in_s3_registers_and_its_content_is_served_with_ranges()
    {
        var camera = Guid.NewGuid();
        var content = new byte[200_000];
        new Random(11).NextBytes(content);
        var start = StoredSegments.Now().AddHours(-2);

        var created = await StoredSegments.StoreAndRegisterAsync(_server, camera, start, start.AddMinutes(1), content);
        Assert.Equal("s3", created.GetProperty("storage_backend").GetString());
        Assert.Equal(ObjectKeys.ForSegment(camera, start), created.GetProperty("storage_path").GetString());
        var id = created.GetProperty("id").GetGuid();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/storage/segments/by-id/{id}/content");
        request.Headers.Range = new RangeHeaderValue(150_000, 150_999);
        var partial = await _server.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("bytes 150000-150999/200000", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[150_000..151_000], await partial.Content.ReadAsByteArrayAsync());

        using var last = new HttpRequestMessage(HttpMethod.Get, $"api/v1/storage/segments/by-id/{id}/content");
        last.Headers.Range = new RangeHeaderValue(null, 1);
        var lastByte = await _server.Admin.SendAsync(last);
        Assert.Equal(HttpStatusCode.PartialContent, lastByte.StatusCode);
        Assert.Equal([content[^1]], await lastByte.Content.ReadAsByteArrayAsync());

        var whole = await _server.Admin.GetAsync($"api/v1/storage/segments/by-id/{id}/content");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await _server.Admin.DeleteAsync($"api/v1/storage/segments/{id}")).StatusCode);
        Assert.Null(await _server.Get<IStorageBackendRegistry>().Get("s3").StatAsync(StorageBuckets.Recordings, ObjectKeys.ForSegment(camera, start), CancellationToken.None));
    }
}

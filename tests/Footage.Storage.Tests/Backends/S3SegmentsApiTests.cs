using System.Net;
using System.Net.Http.Headers;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;

namespace Footage.Storage.Tests.Backends;

/// <summary>The segments API end to end with the real S3 server as the default backend.</summary>
public sealed class S3SegmentsApiTests(S3Server s3) : IAsyncLifetime
{
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await FootageServer.StartAsync(DatabaseKind.Sqlite, settings: S3Settings(s3));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static Dictionary<string, string?> S3Settings(S3Server s3) => new()
    {
        ["Footage:Storage:DefaultBackend"] = "s3",
        ["Footage:Storage:S3:ServiceUrl"] = s3.ServiceUrl,
        ["Footage:Storage:S3:AccessKey"] = S3Server.AccessKey,
        ["Footage:Storage:S3:SecretKey"] = S3Server.SecretKey,
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

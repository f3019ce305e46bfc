using Footage.Core.Segments;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>A recorder whose Storage service runs in another process: segments go to the shared S3 and are registered over HTTP.</summary>
public sealed class RemoteCatalogTests(PostgresServer postgres, RadosGateway s3)
{
    [Fact]
    public async Task Segments_are_registered_through_the_storage_API_of_another_process()
    {
        await using var cameras = await CameraSimulator.StartAsync();
        await using var storage = await FootageServer.StartAsync(DatabaseKind.Postgres, postgres, S3Settings(s3));
        await using var recorder = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings(new Dictionary<string, string?>(S3Settings(s3))
        {
            ["Footage:Recording:Catalog:BaseUrl"] = storage.BaseAddress.ToString(),
            ["Footage:Recording:Catalog:ApiKey"] = FootageServer.AdminKey,
        }));
        var camera = await CreateCameraAsync(recorder, cameras.Url(1));
        await StartRecordingAsync(recorder, camera);
        await WaitForSegmentsAsync(storage, camera, 2);
        await StopRecordingAsync(recorder, camera);
        await WaitForEmptySpoolAsync(recorder, camera);

        var segments = await SegmentsAsync(storage, camera);
        await AssertStoredByteForByteAsync(storage, segments);
        Assert.Empty(Gaps(segments));
        // the recorder reads the remote catalog through the same client
        var remote = await recorder.Get<ISegmentCatalog>().ListAsync(new SegmentQuery(camera, null, null, null, 100, IncludeKeyframes: true), CancellationToken.None);
        Assert.Equal(segments.Select(s => s.Id), remote.Items.Select(s => s.Id));
    }
}

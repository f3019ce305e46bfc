using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>Object storage or the database goes away while a camera records: segments wait in the spool and nothing is lost.</summary>
public sealed class OutageTests(PostgresServer sharedPostgres)
{
    [Fact]
    public async Task While_object_storage_is_down_segments_stay_spooled_and_are_all_stored_when_it_returns()
    {
        await using var cameras = await CameraSimulator.StartAsync();
        var s3 = new RadosGateway();
        await s3.InitializeAsync();
        try
        {
            await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, sharedPostgres, FastSettings(S3Settings(s3)));
            var camera = await CreateCameraAsync(server, cameras.Url(1));
            await StartRecordingAsync(server, camera);
            await WaitForSegmentsAsync(server, camera, 1);

            await s3.StopGatewayAsync();
            await WaitUntilAsync(() => Task.FromResult(SpooledSegments(server, camera) >= 3), "three closed segments wait in the spool");
            var stored = (await SegmentsAsync(server, camera)).Count;
            await s3.StartGatewayAsync();
            await WaitForSegmentsAsync(server, camera, stored + 3);
            await StopRecordingAsync(server, camera);
            await WaitForEmptySpoolAsync(server, camera);

            var segments = await SegmentsAsync(server, camera);
            await AssertStoredByteForByteAsync(server, segments);
            Assert.Empty(Gaps(segments));
        }
        finally
        {
            await s3.DisposeAsync();
        }
    }

    [Fact]
    public async Task While_the_database_is_down_segments_stay_spooled_and_are_all_registered_when_it_returns()
    {
        await using var cameras = await CameraSimulator.StartAsync();
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            await using var server = await FootageServer.StartAsync(DatabaseKind.Postgres, postgres, FastSettings());
            var camera = await CreateCameraAsync(server, cameras.Url(1));
            await StartRecordingAsync(server, camera);
            await WaitForSegmentsAsync(server, camera, 1);

            await postgres.StopAsync();
            await WaitUntilAsync(() => Task.FromResult(SpooledSegments(server, camera) >= 3), "three closed segments wait in the spool");
            await postgres.StartAgainAsync();
            await WaitUntilAsync(() => Task.FromResult(SpooledSegments(server, camera) == 0), "the waiting segments are registered");
            await StopRecordingAsync(server, camera);
            await WaitForEmptySpoolAsync(server, camera);

            var segments = await SegmentsAsync(server, camera);
            Assert.True(segments.Count >= 4);
            await AssertStoredByteForByteAsync(server, segments);
            Assert.Empty(Gaps(segments));
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }
}

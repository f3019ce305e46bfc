using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// The whole path from a real RTSP camera (GStreamer) through ffmpeg, the spool, the backend and the
/// catalog, and the camera's outage, on the filesystem backend with SQLite and on S3 with PostgreSQL.
/// </summary>
public abstract class RecordingPathTests(DatabaseKind database, PostgresServer postgres, RadosGateway? s3) : IAsyncLifetime
{
    private CameraSimulator _cameras = null!;
    private FootageServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _cameras = await CameraSimulator.StartAsync(cameras: 2);
        _server = await FootageServer.StartAsync(database, postgres, FastSettings(s3 is null ? null : S3Settings(s3)));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _cameras.DisposeAsync();
    }

    [Fact]
    public async Task A_camera_is_recorded_into_storage_byte_for_byte_continuously_and_each_segment_once()
    {
        var camera = await CreateCameraAsync(_server, _cameras.Url(1));
        await StartRecordingAsync(_server, camera);
        await WaitForSegmentsAsync(_server, camera, 3);

        var status = await CameraStatusAsync(_server, camera);
        Assert.Equal("RECORDING", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("should_record").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, status.GetProperty("last_segment_end").ValueKind);

        await StopRecordingAsync(_server, camera);
        await WaitForEmptySpoolAsync(_server, camera);
        Assert.Equal("STOPPED", (await CameraStatusAsync(_server, camera)).GetProperty("state").GetString());

        var segments = await SegmentsAsync(_server, camera);
        await AssertStoredByteForByteAsync(_server, segments);
        Assert.Empty(Gaps(segments));
        Assert.All(segments, s => Assert.Equal(s3 is null ? "filesystem" : "s3", s.StorageBackend));
        // the muxer cuts at the first key frame after 2 s: every whole segment is 2 s of footage, give or take a frame
        Assert.All(segments.SkipLast(1), s => Assert.InRange((s.EndTime - s.StartTime).TotalSeconds, 1.9, 3.1));
    }

    [Fact]
    public async Task When_the_camera_vanishes_and_returns_the_gap_is_only_where_it_was_gone()
    {
        var camera = await CreateCameraAsync(_server, _cameras.Url(2));
        await StartRecordingAsync(_server, camera);
        await WaitForSegmentsAsync(_server, camera, 2);

        var gone = DateTimeOffset.UtcNow;
        _cameras.Stop();
        await WaitForStateAsync(_server, camera, "RECONNECTING");
        var before = await SegmentsAsync(_server, camera);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var back = DateTimeOffset.UtcNow;
        await _cameras.StartAsync();
        await WaitForStateAsync(_server, camera, "RECORDING");
        var countAfterReturn = (await SegmentsAsync(_server, camera)).Count;
        await WaitForSegmentsAsync(_server, camera, countAfterReturn + 2);
        await StopRecordingAsync(_server, camera);
        await WaitForEmptySpoolAsync(_server, camera);

        var segments = await SegmentsAsync(_server, camera);
        await AssertStoredByteForByteAsync(_server, segments);
        Assert.All(before, b => Assert.Contains(segments, s => s.Id == b.Id));
        var gap = Assert.Single(Gaps(segments));
        // footage up to the moment the camera went is kept (the partial segment is finished, not dropped),
        // and recording resumed once it was back
        Assert.InRange(gap.From, gone - TimeSpan.FromSeconds(2), back);
        Assert.True(gap.To >= back - TimeSpan.FromSeconds(1), $"the gap ends at {gap.To:O}, after the camera came back at {back:O}");
        Assert.True((await CameraStatusAsync(_server, camera)).GetProperty("restarts").GetInt32() >= 1);
    }

    [Fact]
    public async Task The_status_lists_every_camera_and_never_shows_credentials()
    {
        var secretUrl = $"rtsp://admin:s3cr3tpw@127.0.0.1:{FreePort.Next()}/nothing";
        var camera = await CreateCameraAsync(_server, secretUrl);
        await StartRecordingAsync(_server, camera);
        await WaitUntilAsync(async () => (await CameraStatusAsync(_server, camera)).GetProperty("last_error").ValueKind == JsonValueKind.String, "the failure is reported");

        var viewer = await _server.ClientAsync("viewer");
        var json = await viewer.GetStringAsync("api/v1/recording/status");
        Assert.DoesNotContain("s3cr3tpw", json, StringComparison.Ordinal);
        var status = JsonDocument.Parse(json).RootElement;
        var mine = status.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("camera_id").GetGuid() == camera);
        Assert.True(mine.GetProperty("state").GetString() is "STARTING" or "RECONNECTING", mine.ToString());
        foreach (var field in new[] { "camera_id", "name", "state", "since", "last_segment_end", "bitrate_bps", "restarts", "last_error", "spool_bytes" })
        {
            Assert.True(mine.TryGetProperty(field, out _), $"missing {field}");
        }

        await StopRecordingAsync(_server, camera);
    }

    [Fact]
    public async Task Start_and_stop_answer_problems_for_bad_or_unknown_cameras_and_viewers_may_not_start()
    {
        var bad = await _server.Admin.PostAsync("api/v1/recording/start/not-a-uuid", null);
        Assert.Contains("camera_id", (await bad.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        await (await _server.Admin.PostAsync($"api/v1/recording/start/{Guid.NewGuid()}", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _server.Admin.PostAsync($"api/v1/recording/stop/{Guid.NewGuid()}", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        var camera = await CreateCameraAsync(_server, _cameras.Url(1));
        var viewer = await _server.ClientAsync("viewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"api/v1/recording/start/{camera}", null)).StatusCode);

        var milestone = await _server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "ms", rtsp_url = _cameras.Url(1), storage_mode = "MILESTONE" });
        var milestoneId = (await milestone.AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await _server.Admin.PostAsync($"api/v1/recording/start/{milestoneId}", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }
}

public sealed class RecordingPathOnFilesystemAndSqliteTests(PostgresServer postgres)
    : RecordingPathTests(DatabaseKind.Sqlite, postgres, null);

public sealed class RecordingPathOnS3AndPostgresTests(PostgresServer postgres, RadosGateway s3)
    : RecordingPathTests(DatabaseKind.Postgres, postgres, s3);

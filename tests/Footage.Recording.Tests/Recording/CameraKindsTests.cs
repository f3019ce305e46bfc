using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// Cameras as a city has them, served by a real RTSP server (GStreamer's): H.264 with B-frames, H.264 with G.711 sound, H.265.
/// Each is recorded to segments ffprobe reads (the video copied, G.711 made AAC), and the camera's status says what is recorded.
/// </summary>
public sealed class CameraKindsTests(PostgresServer postgres)
{
    [Theory]
    [InlineData("ffmpeg")]
    [InlineData("remuxer")]
    public async Task B_frame_h264_g711_sound_and_h265_cameras_are_recorded_to_playable_segments_and_their_status_says_what_is_recorded(string engine)
    {
        await using var cameras = await CameraSimulator.StartAsync(
            [new CameraKind { BFrames = 2 }, new CameraKind { Audio = "pcmu" }, new CameraKind { Codec = "h265" }]);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings(new Dictionary<string, string?> { ["Footage:Recording:Engine"] = engine }));
        var bFrames = await CreateCameraAsync(server, cameras.Url(1));
        var g711 = await CreateCameraAsync(server, cameras.Url(2));
        var h265 = await CreateCameraAsync(server, cameras.Url(3));
        foreach (var camera in new[] { bFrames, g711, h265 })
        {
            await StartRecordingAsync(server, camera);
        }

        foreach (var camera in new[] { bFrames, g711, h265 })
        {
            await WaitForSegmentsAsync(server, camera, 2);
            Assert.Equal([engine == "remuxer" ? Remuxer.RemuxerProgram.Name : "ffmpeg"], RemuxerEngineTests.RecordingPrograms(SpoolFolder(server, camera)));
            await AssertStoredByteForByteAsync(server, await SegmentsAsync(server, camera));
        }

        var bFrameStreams = await StreamsOfLastSegmentAsync(server, bFrames);
        Assert.Equal(["video h264"], bFrameStreams);
        var g711Streams = await StreamsOfLastSegmentAsync(server, g711);
        Assert.Equal(["video h264", "audio aac"], g711Streams);
        Assert.Equal(["video hevc"], await StreamsOfLastSegmentAsync(server, h265));
        Assert.Empty(await DecodeErrorsOfLastSegmentAsync(server, g711));

        var status = (await CameraStatusAsync(server, bFrames)).GetProperty("streams");
        Assert.Equal("h264", status.GetProperty("video_codec").GetString());
        Assert.True(status.GetProperty("b_frames").GetBoolean());
        Assert.Equal("none", status.GetProperty("audio").GetString());
        status = (await CameraStatusAsync(server, g711)).GetProperty("streams");
        Assert.Equal(["pcm_mulaw"], status.GetProperty("audio_codecs").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal("converted_to_aac", status.GetProperty("audio").GetString());
        Assert.False(status.GetProperty("b_frames").GetBoolean());
        Assert.Equal("tcp", status.GetProperty("rtsp_transport").GetString());
        status = (await CameraStatusAsync(server, h265)).GetProperty("streams");
        Assert.Equal("hevc", status.GetProperty("video_codec").GetString());
    }

    [Fact]
    public async Task A_camera_set_to_drop_its_sound_is_recorded_without_it()
    {
        await using var cameras = await CameraSimulator.StartAsync([new CameraKind { Audio = "pcma" }]);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings());
        var created = await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "no sound", source = "sim", rtsp_url = cameras.Url(1), audio = "drop" });
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("drop", body.GetProperty("audio").GetString());
        var camera = body.GetProperty("id").GetGuid();
        await StartRecordingAsync(server, camera);
        await WaitForSegmentsAsync(server, camera, 1);

        Assert.Equal(["video h264"], await StreamsOfLastSegmentAsync(server, camera));
        Assert.Equal("dropped", (await CameraStatusAsync(server, camera)).GetProperty("streams").GetProperty("audio").GetString());
    }

    [Fact]
    public async Task An_unknown_audio_setting_is_refused_naming_the_field()
    {
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings());
        var refused = await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "x", source = "sim", rtsp_url = "rtsp://127.0.0.1:1/x", audio = "loud" });
        var problem = await refused.AssertProblemAsync(System.Net.HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("audio", out _));
    }

    private static async Task<string> LastSegmentFileAsync(FootageServer server, Guid camera)
    {
        var segment = (await SegmentsAsync(server, camera)).OrderBy(s => s.StartTime).Last();
        await using var read = await server.Get<IStorageBackendRegistry>().Get(segment.StorageBackend)
            .OpenReadAsync(StorageBuckets.Recordings, segment.StoragePath, null, CancellationToken.None);
        Assert.NotNull(read);
        var path = Path.Combine(server.DataDirectory, $"probe-{camera:N}.ts");
        await using (var file = File.Create(path))
        {
            await read.Content.CopyToAsync(file);
        }

        return path;
    }

    private static async Task<string[]> StreamsOfLastSegmentAsync(FootageServer server, Guid camera)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0", await LastSegmentFileAsync(server, camera)])
            .ExecuteBufferedAsync();
        // csv prints codec_name before codec_type, and each stream twice: in its program and on its own
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',')).Select(f => $"{f[1]} {f[0]}").Distinct().ToArray();
    }

    private static async Task<string> DecodeErrorsOfLastSegmentAsync(FootageServer server, Guid camera) =>
        await TestMedia.DecodeErrorsAsync(await LastSegmentFileAsync(server, camera));
}

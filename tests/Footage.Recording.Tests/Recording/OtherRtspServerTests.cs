using System.Net;
using System.Net.Http.Json;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// Cameras that are not our simulator: rtsp-streaming-server (Node.js) serving what ffmpeg's own RTSP output publishes, RTP over
/// UDP (the only transport that server has). An H.264 camera with B-frames and G.711 A-law sound and an H.265 camera with AAC
/// sound are recorded, stored, indexed, played back over HLS and downloaded, their sound converted or copied and audible.
/// </summary>
public sealed class OtherRtspServerTests(PostgresServer postgres)
{
    [Fact]
    public async Task Cameras_published_by_ffmpeg_on_another_rtsp_server_over_udp_are_recorded_and_play_back_with_their_sound()
    {
        await using var cameras = await PublishedRtspCameras.StartAsync(
            [new CameraKind { BFrames = 2, Audio = "pcma" }, new CameraKind { Codec = "h265", Audio = "aac" }]);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings());
        var h264 = await CreateUdpCameraAsync(server, cameras.Url(1));
        var h265 = await CreateUdpCameraAsync(server, cameras.Url(2));
        await StartRecordingAsync(server, h264);
        await StartRecordingAsync(server, h265);
        await WaitForSegmentsAsync(server, h264, 3);
        await WaitForSegmentsAsync(server, h265, 3);
        await StopRecordingAsync(server, h264);
        await StopRecordingAsync(server, h265);

        var status = (await CameraStatusAsync(server, h264)).GetProperty("streams");
        Assert.Equal("udp", status.GetProperty("rtsp_transport").GetString());
        Assert.True(status.GetProperty("b_frames").GetBoolean());
        Assert.Equal(["pcm_alaw"], status.GetProperty("audio_codecs").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal("converted_to_aac", status.GetProperty("audio").GetString());
        status = (await CameraStatusAsync(server, h265)).GetProperty("streams");
        Assert.Equal("hevc", status.GetProperty("video_codec").GetString());
        Assert.Equal("copied", status.GetProperty("audio").GetString());

        foreach (var (camera, video) in new[] { (h264, "video h264"), (h265, "video hevc") })
        {
            var segments = (await SegmentsAsync(server, camera)).OrderBy(s => s.StartTime).ToArray();
            await AssertStoredByteForByteAsync(server, segments);
            Assert.Empty(Gaps(segments));
            var played = await PlayedBack.RangeAsync(server, camera, segments[0].StartTime, segments[^1].EndTime);
            played.AssertClean(video, "audio aac");
            var loudest = await PlayedBack.LoudestAudioAsync(played.DownloadFile);
            Assert.True(loudest > -20, $"the downloaded sound is the camera's tone, its loudest sample {loudest} dBFS");
        }
    }

    private static async Task<Guid> CreateUdpCameraAsync(FootageServer server, string url)
    {
        var response = await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "published " + url[^4..], source = "published", rtsp_url = url, rtsp_transport = "udp" });
        return (await response.AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}

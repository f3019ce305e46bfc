using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// How the recorder opens a camera's RTSP session: digest authentication (GStreamer's RTSP server asking for it), RTP over UDP
/// from a server that offers nothing else, and the cameras it cannot record said in words: a wrong password, and a camera that
/// accepts the connection and never answers (each attempt given up after the probe's socket timeout, no ffmpeg run for it).
/// </summary>
public sealed class RtspSessionTests(PostgresServer postgres)
{
    private const string Password = "s3cret-digest";

    [Fact]
    public async Task Digest_authenticated_and_udp_cameras_are_recorded_and_a_wrong_password_or_a_silent_camera_fails_with_its_reason()
    {
        await using var digest = await CameraSimulator.StartAsync([new CameraKind()], ("operator", Password));
        await using var udpOnly = await CameraSimulator.StartAsync([new CameraKind()], protocols: "udp");
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        var accepting = AcceptForeverAsync(silent, accepted);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings());

        var authenticated = await CreateCameraAsync(server, digest.UrlWithCredentials(1));
        var wrongPassword = await CreateCameraAsync(server, digest.UrlWithCredentials(1).Replace(Password, "not-it", StringComparison.Ordinal));
        var udp = (await (await server.Admin.PostAsJsonAsync("api/v1/cameras", new { name = "udp", source = "sim", rtsp_url = udpOnly.Url(1), rtsp_transport = "udp" }))
            .AssertJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var mute = await CreateCameraAsync(server, $"rtsp://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/stream1");
        foreach (var camera in new[] { authenticated, wrongPassword, udp, mute })
        {
            await StartRecordingAsync(server, camera);
        }

        foreach (var camera in new[] { authenticated, udp })
        {
            await WaitForSegmentsAsync(server, camera, 2);
            await AssertStoredByteForByteAsync(server, await SegmentsAsync(server, camera));
        }

        Assert.Equal("udp", (await CameraStatusAsync(server, udp)).GetProperty("streams").GetProperty("rtsp_transport").GetString());
        Assert.Equal("h264", (await CameraStatusAsync(server, authenticated)).GetProperty("streams").GetProperty("video_codec").GetString());

        await WaitUntilAsync(async () => (await CameraStatusAsync(server, wrongPassword)).GetProperty("restarts").GetInt32() >= 2, "the camera with a wrong password was tried twice");
        var refused = await CameraStatusAsync(server, wrongPassword);
        Assert.True(refused.GetProperty("state").GetString() is "STARTING" or "RECONNECTING", refused.ToString());
        Assert.Contains("refused its user name or password (RTSP 401 Unauthorized)", refused.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-it", refused.ToString(), StringComparison.Ordinal);
        Assert.Empty(await SegmentsAsync(server, wrongPassword));

        // each attempt on the silent camera ends when its probe's socket times out: tried again and again, never recorded, said why
        await WaitUntilAsync(async () => (await CameraStatusAsync(server, mute)).GetProperty("restarts").GetInt32() >= 2, "the silent camera was tried twice");
        var silentStatus = await CameraStatusAsync(server, mute);
        Assert.True(silentStatus.GetProperty("state").GetString() is "STARTING" or "RECONNECTING", silentStatus.ToString());
        Assert.Contains("accepted the connection but did not answer RTSP within 5 s", silentStatus.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.True(accepted.Count >= 2, $"{accepted.Count} connections reached the silent camera");
        Assert.Empty(Directory.Exists(SpoolFolder(server, mute)) ? Directory.GetFiles(SpoolFolder(server, mute), "*.ts*") : []);

        silent.Stop();
        await accepting;
        lock (accepted)
        {
            accepted.ForEach(s => s.Dispose());
        }
    }

    /// <summary>Accepts every connection and never sends a byte, as a camera whose RTSP service hangs.</summary>
    private static async Task AcceptForeverAsync(TcpListener listener, List<Socket> accepted)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync();
                lock (accepted)
                {
                    accepted.Add(socket);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the listener stopped
        }
    }
}

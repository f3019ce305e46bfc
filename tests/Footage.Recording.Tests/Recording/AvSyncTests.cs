using Footage.Core.Storage;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// Sound stays with its picture: simulator cameras whose picture draws their sound (a beep every second) send G.711, made AAC by
/// the recorder, and AAC, copied. The A/V offset of each beep is measured at the camera (its RTSP stream read directly), in a stored segment,
/// through HLS and in the download: the conversion and the recording path add none of their own.
/// </summary>
public sealed class AvSyncTests(PostgresServer postgres)
{
    private const double Frame = 0.040;

    [Fact]
    public async Task Sound_copied_or_converted_from_g711_keeps_the_cameras_a_v_offset_in_storage_hls_and_downloads()
    {
        await using var cameras = await CameraSimulator.StartAsync([new CameraKind { Audio = "pcmu" }, new CameraKind { Audio = "aac" }]);
        // 5 s segments: five beeps in each, as the simulator's key frames and beeps both fall on whole seconds of its stream
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastRecordingSettings.Create(segmentSeconds: 5));
        var g711 = await CreateCameraAsync(server, cameras.Url(1));
        var aac = await CreateCameraAsync(server, cameras.Url(2));
        await StartRecordingAsync(server, g711);
        await StartRecordingAsync(server, aac);
        // what the camera itself sends, read directly (both at once): its own encoder may put the sound behind or ahead of the picture
        var measured = await Task.WhenAll(
            AvOffset.MeasureAsync(cameras.Url(1), 5, "-rtsp_transport", "tcp", "-t", "10"),
            AvOffset.MeasureAsync(cameras.Url(2), 5, "-rtsp_transport", "tcp", "-t", "10"));
        var atCamera = new Dictionary<Guid, double> { [g711] = measured[0].Seconds, [aac] = measured[1].Seconds };
        foreach (var camera in new[] { g711, aac })
        {
            await WaitForSegmentsAsync(server, camera, 3);
            await StopRecordingAsync(server, camera);
        }

        var failures = new List<string>();
        foreach (var (camera, kind) in new[] { (g711, "G.711 made AAC"), (aac, "AAC copied") })
        {
            // not the first segment: it may start with sound before the first key frame's picture
            var segments = (await SegmentsAsync(server, camera)).OrderBy(s => s.StartTime).Skip(1).Take(2).ToArray();
            var stored = await LocalCopyAsync(server, segments[0]);
            var inStorage = await AvOffset.MeasureAsync(stored);
            var hls = new Uri(server.BaseAddress, $"api/v1/playback/{camera}/hls?from={Iso(segments[0].StartTime)}&to={Iso(segments[0].EndTime)}").ToString();
            var inHls = await AvOffset.MeasureAsync(hls, PlayedBack.PlayerOptions);
            var played = await PlayedBack.RangeAsync(server, camera, segments[0].StartTime, segments[^1].EndTime);
            var inDownload = await AvOffset.MeasureAsync(played.DownloadFile);
            var inExport = await AvOffset.MeasureAsync(await ExportAsync(server, camera, segments[0].StartTime, segments[^1].EndTime));
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{kind}: picture minus sound {atCamera[camera] * 1000:0} ms at the camera, {inStorage.Seconds * 1000:0} ms stored ({inStorage.Beeps} beeps), " +
                $"{inHls.Seconds * 1000:0} ms through HLS, {inDownload.Seconds * 1000:0} ms downloaded, {inExport.Seconds * 1000:0} ms exported; start_time video minus audio " +
                $"{await AvOffset.StartDifferenceAsync(stored) * 1000:0} ms stored, {await AvOffset.StartDifferenceAsync(hls, PlayedBack.PlayerOptions) * 1000:0} ms through HLS");
            if (Math.Abs(inStorage.Seconds - atCamera[camera]) > Frame)
            {
                failures.Add($"{kind}: stored {inStorage.Seconds * 1000:0} ms, at the camera {atCamera[camera] * 1000:0} ms");
            }

            // HLS serves the stored bytes; the download and the export are remuxed into MP4 (AAC frames of 64 ms at 16 kHz, 128 ms at 8 kHz)
            foreach (var (through, offset, bound) in new[] { ("HLS", inHls.Seconds, 0.005), ("the download", inDownload.Seconds, Frame), ("the export", inExport.Seconds, Frame) })
            {
                if (Math.Abs(offset - inStorage.Seconds) > bound)
                {
                    failures.Add($"{kind}: {offset * 1000:0} ms through {through}, stored {inStorage.Seconds * 1000:0} ms");
                }
            }
        }

        Assert.Empty(failures);
    }

    private static async Task<string> LocalCopyAsync(FootageServer server, Footage.Core.Segments.Segment segment)
    {
        var path = Path.Combine(server.DataDirectory, $"sync-{segment.Id:N}.ts");
        await using var read = await server.Get<IStorageBackendRegistry>().Get(segment.StorageBackend)
            .OpenReadAsync(segment.StorageBucket, segment.StoragePath, null, CancellationToken.None);
        Assert.NotNull(read);
        await using (var file = File.Create(path))
        {
            await read.Content.CopyToAsync(file);
        }

        return path;
    }

    private static string Iso(DateTimeOffset t) =>
        Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
}

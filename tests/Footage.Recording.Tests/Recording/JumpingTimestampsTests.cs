using System.Diagnostics;
using System.Globalization;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// Cameras whose frame times are not even, recorded with 2 s segments: a variable frame rate (a quarter of the frames missing at
/// random), and video RTP timestamps that jump 20 s forward or 2 s back every 3 s (a camera whose clock is stepped). Each is
/// stored, indexed, played over HLS, downloaded and exported without a decoding error, and its timeline is true: a segment
/// lasts as long as its frames do, the recording is no longer than the time it was recorded for, nothing overlaps, and the
/// variable frame rate is kept as the camera sent it. (The RTP timestamp wrap is in <see cref="LongAndChangingGopTests"/>.)
/// </summary>
public sealed class JumpingTimestampsTests(PostgresServer postgres)
{
    private const double Frame = 0.040;

    [Fact]
    public async Task Variable_frame_rate_and_jumping_timestamps_keep_a_true_timeline_through_storage_playback_download_and_export()
    {
        await using var cameras = await CameraSimulator.StartAsync(
        [
            new CameraKind { VariableFrameRate = true },
            new CameraKind { JumpEverySeconds = 3, JumpSeconds = 20 },
            new CameraKind { JumpEverySeconds = 3, JumpSeconds = -2 },
        ]);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres, FastSettings());
        var ids = new List<Guid>();
        for (var n = 1; n <= 3; n++)
        {
            ids.Add(await CreateCameraAsync(server, cameras.Url(n)));
        }

        var started = Stopwatch.StartNew();
        foreach (var camera in ids)
        {
            await StartRecordingAsync(server, camera);
        }

        // four segments of 2 s: each jumping camera has jumped at least twice (3 s and 6 s into its stream)
        foreach (var camera in ids)
        {
            await WaitForSegmentsAsync(server, camera, 4);
        }

        foreach (var camera in ids)
        {
            await StopRecordingAsync(server, camera);
        }

        foreach (var camera in ids)
        {
            await WaitForStateAsync(server, camera, "STOPPED");
            await WaitForEmptySpoolAsync(server, camera);
        }

        var recordedFor = started.Elapsed;

        // one after the other: downloads are limited to two at once per caller
        var vfr = await CheckAsync(server, ids[0], recordedFor, evenFrames: false);
        await CheckAsync(server, ids[1], recordedFor, evenFrames: true);
        await CheckAsync(server, ids[2], recordedFor, evenFrames: true);
        var intervals = vfr.SelectMany(times => times.Zip(times.Skip(1)).Select(p => p.Second - p.First)).ToArray();
        Assert.True(intervals.Any(i => Math.Abs(i - Frame) < 0.002) && intervals.Any(i => i > (2 * Frame) - 0.002),
            "the variable frame rate is kept as sent, frames 40 ms and 80 ms and more apart: " + string.Join(' ', intervals.Select(i => $"{i * 1000:0}")));
    }

    /// <summary>Stored byte for byte, indexed as ffprobe reads it, each segment as long as its frames, played, downloaded and exported cleanly.</summary>
    /// <returns>The frame times of each segment.</returns>
    private static async Task<List<double[]>> CheckAsync(FootageServer server, Guid camera, TimeSpan recordedFor, bool evenFrames)
    {
        var frameTimes = new List<double[]>();
        var segments = (await SegmentsAsync(server, camera)).OrderBy(s => s.StartTime).ToArray();
        await AssertStoredByteForByteAsync(server, segments);
        // a variable frame rate may leave a missing frame's time between two segments (the list ends a file one frame after its last)
        Assert.All(Gaps(segments), g => Assert.True(!evenFrames && g.To - g.From < TimeSpan.FromSeconds(0.25), $"camera {camera}: a gap {g.From:O}-{g.To:O}"));
        var span = segments[^1].EndTime - segments[0].StartTime;
        Assert.True(span <= recordedFor, $"camera {camera}: {span.TotalSeconds:0.00} s of footage recorded in {recordedFor.TotalSeconds:0.00} s");

        foreach (var segment in segments)
        {
            var packets = await PacketsAsync(await LocalCopyAsync(server, segment));
            var times = packets.Select(p => p.Time).ToArray();
            var keyFrames = packets.Where(p => p.Key).Select(p => (long)Math.Round((p.Time - times[0]) * 1000)).ToArray();
            Assert.True(keyFrames.Length == segment.Keyframes!.Entries.Count && keyFrames.Zip(segment.Keyframes.Entries).All(p => Math.Abs(p.First - p.Second.OffsetMilliseconds) <= 2),
                $"camera {camera} segment {segment.StartTime:O}: the index holds {string.Join(' ', segment.Keyframes.Entries.Select(k => k.OffsetMilliseconds))}, ffprobe reads {string.Join(' ', keyFrames)}");
            frameTimes.Add(times);
            var seconds = (segment.EndTime - segment.StartTime).TotalSeconds;
            // the segment lasts from its first frame to one frame after its last (give or take a frame: the first frame of a run)
            Assert.InRange(seconds, times[^1] - times[0] + Frame - 0.045, times[^1] - times[0] + Frame + 0.045);
            Assert.True(times.Zip(times.Skip(1)).All(p => p.Second > p.First && p.Second - p.First < 0.5),
                $"camera {camera} segment {segment.StartTime:O}: frame times step back or jump: {string.Join(' ', times.Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)))}");
            if (evenFrames)
            {
                Assert.True(Math.Abs(times.Length - (seconds / Frame)) <= 2, $"{times.Length} frames in {seconds:0.000} s at 25 fps");
            }
        }

        var from = segments[0].StartTime;
        var to = segments[^1].EndTime;
        var played = await PlayedBack.RangeAsync(server, camera, from, to);
        played.AssertClean("video h264");
        var downloaded = await DownloadedMp4.ReadAsync(played.DownloadFile);
        Assert.InRange(downloaded.Shown[^1], (to - from).TotalSeconds - 0.3, (to - from).TotalSeconds);

        var exported = await ExportAsync(server, camera, from, to);
        Assert.Equal(string.Empty, await TestMedia.DecodeErrorsAsync(exported));
        Assert.InRange(await TestMedia.ProbeDurationAsync(exported), (to - from).TotalSeconds - 0.3, (to - from).TotalSeconds + 0.1);
        return frameTimes;
    }

    /// <summary>
    /// The video packets' presentation times (seconds) and key-frame flags in the file's order (no B-frames here: the order they
    /// are shown in).
    /// </summary>
    private static async Task<(double Time, bool Key)[]> PacketsAsync(string file) =>
        (await PlayedBack.ProbeAsync(["-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", file]))
        .Select(l => l.Split(','))
        .Select(f => (double.Parse(f[0], CultureInfo.InvariantCulture), f[1].Contains('K', StringComparison.Ordinal))).ToArray();

    private static async Task<string> LocalCopyAsync(FootageServer server, Segment segment)
    {
        var path = Path.Combine(server.DataDirectory, $"copy-{segment.Id:N}.ts");
        if (File.Exists(path))
        {
            return path;
        }

        await using var read = await server.Get<IStorageBackendRegistry>().Get(segment.StorageBackend)
            .OpenReadAsync(segment.StorageBucket, segment.StoragePath, null, CancellationToken.None);
        Assert.NotNull(read);
        await using var file = File.Create(path);
        await read.Content.CopyToAsync(file);
        return path;
    }
}

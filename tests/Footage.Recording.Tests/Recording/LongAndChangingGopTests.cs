using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>
/// Cameras whose pictures are not the tests' usual 25 fps with a key frame every second, recorded with 2 s segments: a key
/// frame every 4 s at 12.5 fps and every 10 s at 30 fps (GOPs longer than the segment), key frames at irregular moments (as
/// on motion), a picture that changes size every 3 s (a new SPS each time), and RTP timestamps that wrap past 2^32 during the
/// recording. Each rotates at its key frames without a gap, its key-frame index is the one ffprobe reads, a thumbnail is made at
/// every due instant, it plays over HLS and downloads without a decoding error, and a range that starts between two key frames
/// far apart starts at its instant (HLS start offset, MP4 edit list).
/// </summary>
public sealed class LongAndChangingGopTests(PostgresServer postgres)
{
    private const int ThumbnailSeconds = 2;

    [Fact]
    public async Task Long_irregular_and_resized_gops_and_wrapping_rtp_timestamps_rotate_index_and_play_back_right()
    {
        await using var cameras = await CameraSimulator.StartAsync(
        [
            new CameraKind { GopSeconds = 4, Fps = "12.5" },
            new CameraKind { GopSeconds = 10, Fps = "30" },
            new CameraKind { KeyframesAt = [1, 2, 7] },
            new CameraKind { ResizeEverySeconds = 3 },
            // 2^32 less four seconds of the 90 kHz clock: the video's timestamps wrap about four seconds into the stream
            new CameraKind { FirstRtpTimestamp = (1L << 32) - (4 * 90_000) },
        ]);
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres,
            FastSettings(new Dictionary<string, string?> { ["Footage:Recording:ThumbnailSeconds"] = ThumbnailSeconds.ToString(CultureInfo.InvariantCulture) }));
        var ids = new List<Guid>();
        for (var n = 1; n <= 5; n++)
        {
            ids.Add(await CreateCameraAsync(server, cameras.Url(n)));
        }

        foreach (var camera in ids)
        {
            await StartRecordingAsync(server, camera);
        }

        // each camera is stopped once it has what its checks need (a few seconds of footage; two segments of the 10 s GOP, 20 s and more):
        // two GOPs in a segment of the 4 s camera, two size changes, the RTP wrap 4 s into the stream
        foreach (var (camera, segments) in new[] { (ids[2], 3), (ids[3], 4), (ids[4], 4), (ids[0], 3), (ids[1], 2) })
        {
            await WaitForSegmentsAsync(server, camera, segments);
            await StopRecordingAsync(server, camera);
        }

        foreach (var camera in ids)
        {
            await WaitForStateAsync(server, camera, "STOPPED");
            await WaitForEmptySpoolAsync(server, camera);
        }

        var gop4 = await CheckAsync(server, ids[0], 12.5);
        AssertKeyFramesEvery(gop4, 4000, 12.5);
        var gop10 = await CheckAsync(server, ids[1], 30);
        AssertKeyFramesEvery(gop10, 10_000, 30);
        Assert.All(gop10.Take(gop10.Length - 1), s => Assert.True(s.EndTime - s.StartTime >= TimeSpan.FromSeconds(9.5),
            $"a segment of the 10 s GOP camera lasts to its next key frame, not the 2 s segment length: {s.StartTime:O}-{s.EndTime:O}"));
        await CheckAsync(server, ids[2], 25);
        var resized = await CheckAsync(server, ids[3], 25);
        var sizes = await PictureSizesAsync(server, resized);
        Assert.True(sizes.SetEquals(["320,180", "240,134"]), "picture sizes recorded: " + string.Join(' ', sizes));
        await CheckAsync(server, ids[4], 25);

        await AssertStartsBetweenKeyFramesAsync(server, ids[0], gop4, 12.5);
        await AssertStartsBetweenKeyFramesAsync(server, ids[1], gop10, 30);
    }

    /// <summary>Stored byte for byte, no gap, the product's key-frame index the one ffprobe reads, the frame rate, thumbnails due, played and downloaded cleanly.</summary>
    private static async Task<Segment[]> CheckAsync(FootageServer server, Guid camera, double fps)
    {
        var segments = (await SegmentsAsync(server, camera)).OrderBy(s => s.StartTime).ToArray();
        await AssertStoredByteForByteAsync(server, segments);
        Assert.Empty(Gaps(segments));
        foreach (var segment in segments)
        {
            var file = await LocalCopyAsync(server, segment);
            var expected = await TestMedia.KeyframesAsync(file);
            var found = string.Join(' ', segment.Keyframes!.Entries.Select(k => $"{k.OffsetMilliseconds}@{k.ByteOffset}"));
            var read = string.Join(' ', expected.Select(k => $"{k[0]}@{k[1]}"));
            var same = expected.Length == segment.Keyframes.Entries.Count
                && expected.Zip(segment.Keyframes.Entries).All(p => Math.Abs(p.First[0] - p.Second.OffsetMilliseconds) <= 2);
            Assert.True(same, $"camera {camera} segment {segment.StartTime:O}: the index holds {found}, ffprobe reads {read}");
            await AssertCutsAtKeyFramesAsync(file, segment);
            var frames = await PlayedBack.VideoFramesAsync(file);
            var seconds = (segment.EndTime - segment.StartTime).TotalSeconds;
            Assert.True(Math.Abs(frames - (seconds * fps)) <= 2 + (seconds * fps * 0.02), $"{frames} frames in {seconds:0.000} s at {fps} fps");
        }

        var thumbnails = (await server.Admin.GetFromJsonAsync<JsonElement>($"api/v1/recording/thumbnails/{camera}"))
            .EnumerateArray().Select(t => t.GetProperty("captured_at").GetDateTimeOffset()).ToHashSet();
        foreach (var segment in segments)
        {
            for (var due = Ceiling(segment.StartTime + TimeSpan.FromMilliseconds(100)); due < segment.EndTime - TimeSpan.FromMilliseconds(100); due = due.AddSeconds(ThumbnailSeconds))
            {
                Assert.Contains(due, thumbnails);
            }
        }

        var played = await PlayedBack.RangeAsync(server, camera, segments[0].StartTime, segments[^1].EndTime);
        played.AssertClean("video h264");
        return segments;
    }

    /// <summary>
    /// What the index is for: the file read from each entry's byte offset (as playback and downloads cut it) starts with that key
    /// frame. (ffprobe's own packet positions are no oracle here: of two key frames in a row it may give the second the first's.)
    /// </summary>
    private static async Task AssertCutsAtKeyFramesAsync(string file, Segment segment)
    {
        var bytes = await File.ReadAllBytesAsync(file);
        var first = (await FirstVideoPacketAsync(file)).Pts;
        foreach (var entry in segment.Keyframes!.Entries)
        {
            var cut = file + ".cut";
            await File.WriteAllBytesAsync(cut, bytes[(int)entry.ByteOffset..]);
            var (pts, key) = await FirstVideoPacketAsync(cut);
            Assert.True(key && Math.Abs(((pts - first) * 1000) - entry.OffsetMilliseconds) <= 2,
                $"{segment.StoragePath} read from byte {entry.ByteOffset} starts with a {(key ? "key" : "non-key")} frame at {(pts - first) * 1000:0} ms, indexed as a key frame at {entry.OffsetMilliseconds} ms");
        }
    }

    private static async Task<(double Pts, bool Key)> FirstVideoPacketAsync(string file)
    {
        var line = (await PlayedBack.ProbeAsync(["-select_streams", "v:0", "-read_intervals", "%+#1", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", file]))[0].Split(',');
        return (double.Parse(line[0], CultureInfo.InvariantCulture), line[1].Contains('K', StringComparison.Ordinal));
    }

    /// <summary>Key frames this far apart, give or take a frame (the first picture of an RTSP session is stamped a frame early or late).</summary>
    private static void AssertKeyFramesEvery(Segment[] segments, int milliseconds, double fps)
    {
        var slack = (int)Math.Ceiling((1000 / fps) + 10);
        foreach (var segment in segments)
        {
            var offsets = segment.Keyframes!.Entries.Select(k => k.OffsetMilliseconds).ToArray();
            Assert.All(offsets.Zip(offsets.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, milliseconds - slack, milliseconds + slack));
        }
    }

    /// <summary>
    /// A range from 2.5 s after a key frame of the second segment: HLS starts its player there and the download's edit list shows
    /// its first frame there, the frames since the key frame (up to a GOP) kept in front only to decode it.
    /// </summary>
    private static async Task AssertStartsBetweenKeyFramesAsync(FootageServer server, Guid camera, Segment[] segments, double fps)
    {
        var frame = 1 / fps;
        var segment = segments[1];
        var from = segment.StartTime.AddMilliseconds(segment.Keyframes!.Entries[0].OffsetMilliseconds + 2500);
        var to = segment.EndTime;
        var playlist = await server.Admin.GetStringAsync($"api/v1/playback/{camera}/hls?from={Iso(from)}&to={Iso(to)}");
        var start = playlist.Split('\n').Single(l => l.StartsWith("#EXT-X-START:TIME-OFFSET=", StringComparison.Ordinal));
        var offset = double.Parse(start["#EXT-X-START:TIME-OFFSET=".Length..].Split(',')[0], CultureInfo.InvariantCulture);
        Assert.InRange(offset, 2.5 - frame, 2.5 + frame);

        var download = await server.Admin.GetAsync($"api/v1/playback/download?camera_id={camera}&from={Iso(from)}&to={Iso(to)}");
        download.EnsureSuccessStatusCode();
        var mp4 = Path.Combine(server.DataDirectory, $"from-{camera:N}.mp4");
        await File.WriteAllBytesAsync(mp4, await download.Content.ReadAsByteArrayAsync());
        var downloaded = await DownloadedMp4.ReadAsync(mp4);
        Assert.InRange(downloaded.EditListStart, 2.5 - frame, 2.5 + frame);
        Assert.InRange(downloaded.FrameTimes[0], -2.5 - frame, -2.5 + frame);
        Assert.InRange(downloaded.Shown[0], 0, frame);
    }

    private static async Task<HashSet<string>> PictureSizesAsync(FootageServer server, IEnumerable<Segment> segments)
    {
        var sizes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            // a frame's line may end with a comma (side data follows) or be blank (ffprobe's side data entries)
            sizes.UnionWith((await PlayedBack.ProbeAsync(["-select_streams", "v:0", "-show_entries", "frame=width,height", "-of", "csv=p=0", await LocalCopyAsync(server, segment)]))
                .Select(l => l.TrimEnd(',')).Where(l => l.Length > 0));
        }

        return sizes;
    }

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

    private static DateTimeOffset Ceiling(DateTimeOffset t)
    {
        var ticks = TimeSpan.FromSeconds(ThumbnailSeconds).Ticks;
        var utc = t.UtcTicks;
        return new DateTimeOffset(((utc + ticks - 1) / ticks) * ticks, TimeSpan.Zero);
    }

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
}

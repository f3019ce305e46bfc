using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Footage.Core.Storage;
using Footage.Testing;
using Xunit;
using static Footage.Recording.Tests.Recording.RecordingHarness;

namespace Footage.Recording.Tests.Recording;

/// <summary>Thumbnails at every multiple of the interval of footage, stored in the thumbnails bucket and found by camera and time.</summary>
public sealed class ThumbnailTests(PostgresServer postgres)
{
    [Theory]
    [InlineData("true")] // decoded by the key-frame decoder process
    [InlineData("false")] // by an ffmpeg process
    public async Task Each_interval_of_footage_has_a_JPEG_findable_by_camera_and_time(string decoderProcess)
    {
        await using var cameras = await CameraSimulator.StartAsync();
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres,
            FastSettings(new Dictionary<string, string?> { ["Footage:Recording:ThumbnailSeconds"] = "2", ["Footage:Recording:ThumbnailDecoderProcess"] = decoderProcess }));
        var camera = await CreateCameraAsync(server, cameras.Url(1));
        await StartRecordingAsync(server, camera);
        await WaitForSegmentsAsync(server, camera, 3);
        await StopRecordingAsync(server, camera);
        await WaitForEmptySpoolAsync(server, camera);

        var segments = await SegmentsAsync(server, camera);
        var viewer = await server.ClientAsync("viewer");
        var thumbnails = await viewer.GetFromJsonAsync<JsonElement>($"api/v1/recording/thumbnails/{camera}");
        var captured = thumbnails.EnumerateArray().Select(t => t.GetProperty("captured_at").GetDateTimeOffset()).ToArray();
        // every even second covered by footage has its thumbnail, and nothing else
        var expected = segments.SelectMany(s => Enumerable.Range(0, 10).Select(i => new DateTimeOffset((s.StartTime.UtcTicks + TimeSpan.TicksPerSecond * 2 - 1) / (TimeSpan.TicksPerSecond * 2) * (TimeSpan.TicksPerSecond * 2), TimeSpan.Zero).AddSeconds(2 * i))
            .Where(t => t < s.EndTime)).Distinct().Order().ToArray();
        Assert.Equal(expected, captured);
        Assert.All(segments, s => Assert.StartsWith($"{camera}/", s.ThumbnailPath ?? $"{camera}/"));

        var image = await viewer.GetAsync($"api/v1/recording/thumbnails/{camera}/image?at={Uri.EscapeDataString(captured[1].AddMilliseconds(500).ToString("O"))}");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        var jpeg = await image.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, jpeg[..2]);
        var stored = server.Get<IStorageBackendRegistry>().Default;
        var first = thumbnails.EnumerateArray().ElementAt(1);
        Assert.Equal(first.GetProperty("size_bytes").GetInt64(), (await stored.StatAsync(StorageBuckets.Thumbnails, first.GetProperty("storage_path").GetString()!, CancellationToken.None))!.Size);
        Assert.Equal(jpeg.Length, first.GetProperty("size_bytes").GetInt64());

        var bad = await viewer.GetAsync($"api/v1/recording/thumbnails/{camera}?from=yesterday");
        Assert.Contains("from", (await bad.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
    }

    [Fact]
    public async Task Thumbnails_of_a_long_segment_are_made_while_it_is_recorded_and_not_again_at_its_close()
    {
        await using var cameras = await CameraSimulator.StartAsync();
        await using var server = await FootageServer.StartAsync(DatabaseKind.Sqlite, postgres,
            FastSettings(new Dictionary<string, string?> { ["Footage:Recording:SegmentSeconds"] = "20", ["Footage:Recording:ThumbnailSeconds"] = "2" }));
        var camera = await CreateCameraAsync(server, cameras.Url(1));
        var viewer = await server.ClientAsync("viewer");
        var stored = server.Get<IStorageBackendRegistry>().Default;
        async Task<JsonElement[]> ThumbnailsAsync() =>
            (await viewer.GetFromJsonAsync<JsonElement>($"api/v1/recording/thumbnails/{camera}")).EnumerateArray().ToArray();
        async Task<Dictionary<DateTimeOffset, DateTimeOffset>> WrittenAsync(IEnumerable<JsonElement> thumbnails)
        {
            var written = new Dictionary<DateTimeOffset, DateTimeOffset>();
            foreach (var t in thumbnails)
            {
                var info = await stored.StatAsync(StorageBuckets.Thumbnails, t.GetProperty("storage_path").GetString()!, CancellationToken.None);
                written[t.GetProperty("captured_at").GetDateTimeOffset()] = info!.LastModified;
            }

            return written;
        }

        await StartRecordingAsync(server, camera);
        // a few capture times into the first segment, which closes after 20 s: their pictures are already stored
        await WaitUntilAsync(async () => (await ThumbnailsAsync()).Length >= 3, "three thumbnails of the segment being written");
        var early = await WrittenAsync(await ThumbnailsAsync());
        Assert.Empty(await SegmentsAsync(server, camera));

        await WaitForSegmentsAsync(server, camera, 1);
        await StopRecordingAsync(server, camera);
        await WaitForEmptySpoolAsync(server, camera);

        // every even second the footage covers has one thumbnail; those made while recording were not made again
        var segments = await SegmentsAsync(server, camera);
        var all = await ThumbnailsAsync();
        var captured = all.Select(t => t.GetProperty("captured_at").GetDateTimeOffset()).ToArray();
        var expected = segments.SelectMany(s => Enumerable.Range(0, 12).Select(i => new DateTimeOffset((s.StartTime.UtcTicks + TimeSpan.TicksPerSecond * 2 - 1) / (TimeSpan.TicksPerSecond * 2) * (TimeSpan.TicksPerSecond * 2), TimeSpan.Zero).AddSeconds(2 * i))
            .Where(t => t < s.EndTime)).Distinct().Order().ToArray();
        Assert.Equal(expected, captured);
        var after = await WrittenAsync(all);
        Assert.All(early, e => Assert.Equal(e.Value, after[e.Key]));
        Assert.Equal(all[0].GetProperty("storage_path").GetString(), segments[0].ThumbnailPath);
    }
}

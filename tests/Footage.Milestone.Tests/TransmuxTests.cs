using Footage.Core.Storage;
using Footage.Milestone.Simulator;
using Footage.Milestone.Storage;
using Footage.Milestone.Transmux;
using Footage.Testing;
using Xunit;

namespace Footage.Milestone.Tests;

/// <summary>Milestone's frames to MPEG-TS with ffmpeg <c>-c copy</c>, and the read-only <c>milestone</c> backend that caches the result.</summary>
public sealed class TransmuxTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static readonly DateTimeOffset T0 = SimulatorFixture.T0;

    private MilestoneSimulator Simulator => fixture.Simulator;

    [Fact]
    public async Task H264_frames_become_a_TS_file_that_decodes_cleanly_with_every_frame_at_its_own_time()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var path = Path.Combine(adapter.DataDirectory, "h264.ts");
        var piece = await adapter.Get<FrameTransmuxer>().TransmuxAsync(
            adapter.Get<ImageServer.RecordedFrameReader>().ReadAsync(SimulatorFixture.H264Camera, T0, T0.AddSeconds(20)), path, CancellationToken.None);

        Assert.NotNull(piece);
        Assert.Equal(500, piece.Frames);
        Assert.Equal(T0, piece.Start);
        Assert.Equal(T0.AddSeconds(20), piece.End);
        Assert.Equal(20, piece.Keyframes.Entries.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 1000L), piece.Keyframes.Entries.Select(k => k.OffsetMilliseconds));
        Assert.Equal("", await TestMedia.DecodeErrorsAsync(path));
        Assert.Equal(500, (await TestMedia.PacketHashesAsync(path)).Length);
        Assert.InRange(await TestMedia.ProbeDurationAsync(path), 19.9, 20.1);
        Assert.Equal((await TestMedia.KeyframesAsync(path)).Select(k => k[1]), piece.Keyframes.Entries.Select(k => k.ByteOffset));
    }

    [Fact]
    public async Task H265_frames_are_stored_without_re_encoding_too()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var path = Path.Combine(adapter.DataDirectory, "h265.ts");
        var piece = await adapter.Get<FrameTransmuxer>().TransmuxAsync(
            adapter.Get<ImageServer.RecordedFrameReader>().ReadAsync(SimulatorFixture.H265Camera, T0, T0.AddSeconds(6)), path, CancellationToken.None);

        Assert.NotNull(piece);
        Assert.Equal(150, piece.Frames);
        Assert.Equal(6, piece.Keyframes.Entries.Count);
        Assert.Equal("", await TestMedia.DecodeErrorsAsync(path));
    }

    [Fact]
    public async Task The_backend_makes_a_window_once_serves_byte_ranges_from_its_cache_and_reports_Milestones_refusals()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var backend = adapter.Get<MilestoneBackend>();
        var key = MilestoneKeys.For(SimulatorFixture.H264Camera, T0.AddSeconds(30), T0.AddSeconds(40));
        var piece = await backend.MaterialiseAsync(key, CancellationToken.None);
        Assert.NotNull(piece);
        Assert.Equal(T0.AddSeconds(30), piece.Start);
        var bytes = await File.ReadAllBytesAsync(piece.Path);
        Assert.Equal(piece.Size, bytes.Length);

        var gotos = Simulator.CountOf("goto");
        await using (var read = await backend.OpenReadAsync(StorageBuckets.Recordings, key, new ByteRange(376, 376 + 1000 - 1), CancellationToken.None))
        {
            Assert.NotNull(read);
            Assert.Equal(bytes.Length, read.TotalLength);
            var part = new byte[1000];
            await read.Content.ReadExactlyAsync(part);
            Assert.Equal(bytes.AsSpan(376, 1000).ToArray(), part);
        }

        Assert.Equal(gotos, Simulator.CountOf("goto")); // served from the cache
        Assert.Single(await backend.ListAsync(StorageBuckets.Recordings, SimulatorFixture.H264Camera.ToString("D"), CancellationToken.None).ToListAsync());

        // nothing recorded in the window: no object
        Assert.Null(await backend.OpenReadAsync(StorageBuckets.Recordings, MilestoneKeys.For(SimulatorFixture.H264Camera, T0.AddSeconds(-90), T0.AddSeconds(-60)), null, CancellationToken.None));

        var unknown = await Assert.ThrowsAsync<MilestoneException>(() =>
            backend.OpenReadAsync(StorageBuckets.Recordings, MilestoneKeys.For(Guid.NewGuid(), T0, T0.AddSeconds(10)), null, CancellationToken.None));
        Assert.Equal(404, MilestoneProblems.Of(unknown).Status);
        await Assert.ThrowsAsync<NotSupportedException>(() => backend.PutAsync(StorageBuckets.Recordings, key, new MemoryStream([1]), null, CancellationToken.None));
    }
}

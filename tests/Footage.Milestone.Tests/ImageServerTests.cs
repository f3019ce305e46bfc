using System.Security.Cryptography;
using Footage.Milestone.Identity;
using Footage.Milestone.ImageServer;
using Footage.Milestone.Simulator;
using Xunit;

namespace Footage.Milestone.Tests;

/// <summary>The ImageServer protocol against the simulator: connect, goto, next, connectupdate, live; and reads that survive its faults.</summary>
public sealed class ImageServerTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static readonly DateTimeOffset T0 = SimulatorFixture.T0;

    private MilestoneSimulator Simulator => fixture.Simulator;

    [Fact]
    public async Task Goto_and_next_walk_the_recording_with_its_gap_its_edges_and_its_key_frames()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        await using var connection = await ConnectAsync(adapter, SimulatorFixture.H264Camera);

        var first = await connection.GotoAsync(T0, CancellationToken.None);
        Assert.Equal(T0.ToUnixTimeMilliseconds(), first.Current);
        Assert.True(first.Frame!.IsKey);
        Assert.Equal(VideoCodec.H264, first.Frame.Codec);
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, first.Frame.Data[..4].ToArray());
        var second = await connection.NextAsync(CancellationToken.None);
        Assert.Equal(first.Current + 40, second.Current);
        Assert.False(second.Frame!.IsKey);

        var beforeFirst = await connection.GotoAsync(T0.AddMinutes(-5), CancellationToken.None);
        Assert.Equal(first.Current, beforeFirst.Current);

        // in the gap: the last frame before it, whose Next jumps over the gap
        var inGap = await connection.GotoAsync(T0.AddSeconds(25), CancellationToken.None);
        Assert.Equal(T0.AddSeconds(20 - 0.04).ToUnixTimeMilliseconds(), inGap.Current);
        Assert.Equal(T0.AddSeconds(30).ToUnixTimeMilliseconds(), inGap.Next);
        var afterGap = await connection.NextAsync(CancellationToken.None);
        Assert.Equal(inGap.Next, afterGap.Current);
        Assert.True(afterGap.Frame!.IsKey);

        // after the last frame: next repeats it, Next == Current
        var last = await connection.GotoAsync(T0.AddHours(1), CancellationToken.None);
        Assert.True(last.IsLast);
        var again = await connection.NextAsync(CancellationToken.None);
        Assert.Equal(last.Current, again.Current);
        Assert.True(again.IsLast);
    }

    [Fact]
    public async Task A_camera_with_nothing_recorded_answers_zero_times_and_no_image()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        await using var connection = await ConnectAsync(adapter, SimulatorFixture.EmptyCamera);
        var response = await connection.GotoAsync(T0, CancellationToken.None);
        Assert.True(response.IsEmpty);
        Assert.Equal(0, response.Prev);
        Assert.Equal(0, response.Next);
        Assert.Empty(await Collect(adapter, SimulatorFixture.EmptyCamera, T0, T0.AddMinutes(1)));
    }

    [Fact]
    public async Task Connect_refuses_an_unknown_camera_and_a_bad_token_with_Milestones_reason()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        await using var connection = await ImageServerConnection.OpenAsync(Simulator.BaseUri, false, TimeSpan.FromSeconds(5), CancellationToken.None);
        var token = await adapter.Get<MilestoneSession>().TokenAsync(CancellationToken.None);
        var unknown = Guid.NewGuid();
        var e = await Assert.ThrowsAsync<MilestoneException>(() => connection.ConnectAsync(unknown, token, CancellationToken.None));
        Assert.Equal(MilestoneFailure.UnknownCamera, e.Failure);
        Assert.Contains(unknown.ToString(), e.Message, StringComparison.Ordinal);

        var bad = await Assert.ThrowsAsync<MilestoneException>(() => connection.ConnectAsync(SimulatorFixture.H264Camera, "TOKEN#forged#", CancellationToken.None));
        Assert.Equal(MilestoneFailure.TokenInvalid, bad.Failure);

        // a read of an unknown camera is a clear problem, not a hang or an empty result
        var read = await Assert.ThrowsAsync<MilestoneException>(() => Collect(adapter, unknown, T0, T0.AddSeconds(5)));
        Assert.Equal(MilestoneFailure.UnknownCamera, read.Failure);
    }

    [Fact]
    public async Task A_range_is_read_in_whole_GOPs_with_every_frame_once_in_time_order()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var all = await Collect(adapter, SimulatorFixture.H264Camera, T0, T0.AddSeconds(60));
        Assert.Equal(1000, all.Count); // two spans of 20 s at 25 fps
        Assert.True(all[0].IsKey);
        Assert.All(all.Zip(all.Skip(1)), p => Assert.True(p.Second.TimeMilliseconds > p.First.TimeMilliseconds));
        Assert.Equal(40, all.Count(f => f.IsKey));

        // from the middle of a GOP to the middle of another: from the next key frame up to the key frame after the end
        var part = await Collect(adapter, SimulatorFixture.H264Camera, T0.AddSeconds(2.5), T0.AddSeconds(5.5));
        Assert.Equal(T0.AddSeconds(3).ToUnixTimeMilliseconds(), part[0].TimeMilliseconds);
        Assert.True(part[0].IsKey);
        Assert.Equal(T0.AddSeconds(6 - 0.04).ToUnixTimeMilliseconds(), part[^1].TimeMilliseconds);
        Assert.Equal(75, part.Count);
    }

    [Theory]
    [InlineData(ImageFault.CloseMidFrame, "fault_close_mid_frame")]
    [InlineData(ImageFault.Stall, "fault_stall")]
    [InlineData(ImageFault.TruncatedTrailer, "fault_truncated_trailer")]
    public async Task A_read_broken_by_a_fault_reconnects_and_resumes_without_a_duplicate_or_a_missing_frame(ImageFault fault, string counter)
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var clean = await Collect(adapter, SimulatorFixture.H264Camera, T0, T0.AddSeconds(20));
        var fired = Simulator.CountOf(counter);
        var connections = Simulator.CountOf("imageserver_connection");

        Simulator.Faults.Arm(fault, 137);
        var progress = new RecordedFrameReader.Progress();
        var broken = await Collect(adapter, SimulatorFixture.H264Camera, T0, T0.AddSeconds(20), progress);

        Assert.Equal(fired + 1, Simulator.CountOf(counter));
        Assert.Equal(1, progress.Reconnects);
        Assert.Equal(connections + 2, Simulator.CountOf("imageserver_connection"));
        Assert.Equal(Fingerprint(clean), Fingerprint(broken));
    }

    [Fact]
    public async Task A_read_gives_up_with_a_clear_problem_when_every_reconnection_fails()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock, new Dictionary<string, string?> { ["Footage:Milestone:MaxReconnects"] = "2" });
        for (var i = 0; i < 3; i++)
        {
            Simulator.Faults.Arm(ImageFault.CloseMidFrame, 0);
        }

        var e = await Assert.ThrowsAsync<MilestoneException>(() => Collect(adapter, SimulatorFixture.H264Camera, T0, T0.AddSeconds(5)));
        Assert.Equal(MilestoneFailure.Unreachable, e.Failure);
        Assert.Contains("failed 3 times in a row", e.Message, StringComparison.Ordinal);
        Assert.Contains("closed the connection", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_renewed_during_a_long_read_is_handed_to_the_open_connection_with_connectupdate()
    {
        Simulator.Tokens.SessionLifetime = TimeSpan.FromMinutes(60);
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var updates = Simulator.CountOf("connectupdate");
        var frames = new List<VideoFrame>();
        await foreach (var frame in adapter.Get<RecordedFrameReader>().ReadAsync(SimulatorFixture.H264Camera, T0, T0.AddSeconds(20)))
        {
            frames.Add(frame);
            if (frames.Count == 100)
            {
                fixture.Clock.Advance(TimeSpan.FromMinutes(50));
            }
        }

        Assert.Equal(500, frames.Count);
        Assert.Equal(updates + 1, Simulator.CountOf("connectupdate"));
    }

    [Fact]
    public async Task A_token_that_Milestone_ends_during_a_read_is_replaced_and_the_read_resumes()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var logins = Simulator.Tokens.Logins;
        var frames = new List<VideoFrame>();
        var progress = new RecordedFrameReader.Progress();
        await foreach (var frame in adapter.Get<RecordedFrameReader>().ReadAsync(SimulatorFixture.H264Camera, T0, T0.AddSeconds(20), progress))
        {
            frames.Add(frame);
            if (frames.Count == 100)
            {
                Simulator.Tokens.RevokeAll();
            }
        }

        Assert.Equal(500, frames.Count);
        Assert.Equal(500, frames.Select(f => f.TimeMilliseconds).Distinct().Count());
        Assert.Equal(logins + 2, Simulator.Tokens.Logins);
        Assert.Equal(1, progress.Reconnects);
    }

    [Fact]
    public async Task Live_video_comes_with_status_packages_and_reports_a_camera_that_lost_its_connection()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        await using var connection = await ConnectAsync(adapter, SimulatorFixture.H264Camera);
        await connection.StartLiveAsync(CancellationToken.None);
        var first = await connection.ReadLiveAsync(CancellationToken.None);
        Assert.NotNull(first.Status);
        var frames = 0;
        Simulator.Faults.Arm(ImageFault.LiveCameraLost, 10);
        while (true)
        {
            var message = await connection.ReadLiveAsync(CancellationToken.None);
            if (message.Status is { } status)
            {
                Assert.Equal("yes", status[LiveMessage.CameraConnectionLost]);
                break;
            }

            Assert.Equal(VideoCodec.H264, message.Image!.Frame!.Codec);
            frames++;
        }

        Assert.True(frames >= 10, $"{frames} live frames before the status");
        await connection.StopAsync(CancellationToken.None);
    }

    internal static async Task<List<VideoFrame>> Collect(AdapterServices adapter, Guid camera, DateTimeOffset from, DateTimeOffset to, RecordedFrameReader.Progress? progress = null)
    {
        var frames = new List<VideoFrame>();
        await foreach (var frame in adapter.Get<RecordedFrameReader>().ReadAsync(camera, from, to, progress))
        {
            frames.Add(frame);
        }

        return frames;
    }

    private static string[] Fingerprint(List<VideoFrame> frames) =>
        frames.Select(f => $"{f.TimeMilliseconds}:{f.IsKey}:{Convert.ToHexString(SHA256.HashData(f.Data.Span))}").ToArray();

    private async Task<ImageServerConnection> ConnectAsync(AdapterServices adapter, Guid camera)
    {
        var connection = await ImageServerConnection.OpenAsync(Simulator.BaseUri, false, TimeSpan.FromSeconds(5), CancellationToken.None);
        await connection.ConnectAsync(camera, await adapter.Get<MilestoneSession>().TokenAsync(CancellationToken.None), CancellationToken.None);
        return connection;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using Footage.Milestone.Identity;
using Footage.Milestone.ImageServer;
using Footage.Milestone.Recordings;
using Footage.Milestone.Simulator;
using Footage.Milestone.Storage;
using Footage.Milestone.Transmux;
using Xunit;

namespace Footage.Milestone.Tests;

/// <summary>
/// What real XProtect recorders do beyond the letter of the documentation, each taught to the simulator and read by the
/// adapter: goto answered with an earlier frame or a whole GOP, frames sharing a millisecond, no Prev header, unrelated
/// XML, audio, metadata and multi-packets, legacy video blocks, bare JPEG, "try again" faults, spans begun days ago.
/// </summary>
public sealed class RecorderQuirksTests(RecorderQuirksFixture fixture) : IClassFixture<RecorderQuirksFixture>
{
    private static readonly DateTimeOffset T0 = RecorderQuirksFixture.T0;

    private MilestoneSimulator Simulator => fixture.Simulator;

    [Theory]
    [InlineData("GotoKeyFrame", "quirk_goto_key_frame")]
    [InlineData("GotoWholeGop", "quirk_goto_whole_gop")]
    public async Task A_goto_answered_with_an_earlier_frame_or_the_whole_GOP_after_a_reconnection_does_not_end_the_read_early(string camera, string quirk)
    {
        var device = camera == "GotoKeyFrame" ? RecorderQuirksFixture.GotoKeyFrame : RecorderQuirksFixture.GotoWholeGop;
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var plain = await Collect(adapter, RecorderQuirksFixture.Plain, T0, T0.AddSeconds(20));
        var quirks = Simulator.CountOf(quirk);

        // broken in the middle of a GOP: the new connection's goto is answered from the GOP's key frame
        Simulator.Faults.Arm(ImageFault.CloseMidFrame, 137);
        var progress = new RecordedFrameReader.Progress();
        var read = await Collect(adapter, device, T0, T0.AddSeconds(20), progress);

        Assert.Equal(1, progress.Reconnects);
        Assert.Equal(quirks + 2, Simulator.CountOf(quirk)); // the first goto and the one after the reconnection
        Assert.Equal(500, read.Count);
        Assert.Equal(Fingerprint(plain), Fingerprint(read));
    }

    [Fact]
    public async Task Frames_of_a_B_frame_stream_that_share_a_millisecond_are_not_the_end_of_the_recording_even_across_a_reconnection()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var clean = await Collect(adapter, RecorderQuirksFixture.BFramesH264, T0, T0.AddSeconds(20));
        Assert.Equal(500, clean.Count);
        var pairs = clean.Zip(clean.Skip(1)).ToList();
        Assert.All(pairs, p => Assert.True(p.Second.TimeMilliseconds >= p.First.TimeMilliseconds, "Milestone's times never go back"));
        Assert.True(pairs.Count(p => p.Second.TimeMilliseconds == p.First.TimeMilliseconds) > 300, "most frames share their millisecond with a neighbour");

        // frame 137 shares its time with frames 134 to 136, already yielded when the connection breaks
        Assert.Equal(clean[134].TimeMilliseconds, clean[137].TimeMilliseconds);
        Simulator.Faults.Arm(ImageFault.CloseMidFrame, 137);
        var progress = new RecordedFrameReader.Progress();
        var resumed = await Collect(adapter, RecorderQuirksFixture.BFramesH264, T0, T0.AddSeconds(20), progress);
        Assert.Equal(1, progress.Reconnects);
        Assert.Equal(Fingerprint(clean), Fingerprint(resumed));
    }

    [Theory]
    [InlineData(false, 20)]
    [InlineData(true, 6)]
    public async Task B_frames_sent_in_decode_order_get_the_encoders_presentation_order_and_rising_decode_times_in_the_TS(bool hevc, int seconds)
    {
        var device = hevc ? RecorderQuirksFixture.BFramesH265 : RecorderQuirksFixture.BFramesH264;
        Assert.True(Simulator.Recordings.TryGet(device, out var timeline));
        var clip = timeline.Clip.Frames;
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var path = Path.Combine(adapter.DataDirectory, $"bframes-{hevc}.ts");
        var piece = await adapter.Get<FrameTransmuxer>().TransmuxAsync(
            adapter.Get<RecordedFrameReader>().ReadAsync(device, T0, T0.AddSeconds(seconds)), path, CancellationToken.None);

        var frames = seconds * 25;
        Assert.Equal(frames, piece!.Frames);
        Assert.Equal(T0, piece.Start);
        Assert.Equal(T0.AddSeconds(seconds), piece.End);
        Assert.Equal(Enumerable.Range(0, seconds).Select(i => i * 1000L), piece.Keyframes.Entries.Select(k => k.OffsetMilliseconds));
        Assert.Equal("", await Footage.Testing.TestMedia.DecodeErrorsAsync(path));

        // each packet, in decode order, is shown in the slot the encoder gave it, 40 ms apart; decode times rise and never pass them
        var packets = await PacketTimesAsync(path);
        Assert.Equal(frames, packets.Count);
        var slots = packets.Select(p => (p.Pts - packets[0].Pts) / 3600.0).ToArray();
        Assert.Equal(Enumerable.Range(0, frames).Select(i => (double)(clip[i % clip.Count].Slot + (i / clip.Count * clip.Count))), slots);
        Assert.Contains(Enumerable.Range(1, frames - 1), i => slots[i] < slots[i - 1]);
        Assert.All(packets.Zip(packets.Skip(1)), p => Assert.True(p.Second.Dts > p.First.Dts, "decode times rise"));
        Assert.All(packets, p => Assert.True(p.Dts <= p.Pts, "a picture is decoded before it is shown"));
    }

    [Fact]
    public async Task Answers_without_Prev_and_unrelated_XML_before_answers_are_read_in_full_without_reconnecting()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        await using (var connection = await ConnectAsync(adapter, RecorderQuirksFixture.NoPrevAndUnrelatedXml))
        {
            var first = await connection.GotoAsync(T0.AddSeconds(1), CancellationToken.None);
            Assert.Null(first.Prev);
            Assert.Equal(T0.AddSeconds(1).ToUnixTimeMilliseconds(), first.Current);
        }

        var unrelated = Simulator.CountOf("quirk_unrelated_xml");
        var progress = new RecordedFrameReader.Progress();
        var read = await Collect(adapter, RecorderQuirksFixture.NoPrevAndUnrelatedXml, T0, T0.AddSeconds(20), progress);
        Assert.True(Simulator.CountOf("quirk_unrelated_xml") - unrelated > 100, "the recorder sent unrelated messages");
        Assert.Equal(0, progress.Reconnects);
        Assert.Equal(Fingerprint(await Collect(adapter, RecorderQuirksFixture.Plain, T0, T0.AddSeconds(20))), Fingerprint(read));
    }

    [Fact]
    public async Task Audio_metadata_and_multi_packets_are_passed_over_and_the_video_comes_whole()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var extra = Simulator.CountOf("quirk_extra_packet");
        var progress = new RecordedFrameReader.Progress();
        var read = await Collect(adapter, RecorderQuirksFixture.AudioAndMetadata, T0, T0.AddSeconds(20), progress);
        Assert.Equal(100, Simulator.CountOf("quirk_extra_packet") - extra); // an audio and a metadata answer every 10 frames
        Assert.Equal(0, progress.Reconnects);
        Assert.Equal(Fingerprint(await Collect(adapter, RecorderQuirksFixture.Plain, T0, T0.AddSeconds(20))), Fingerprint(read));

        var path = Path.Combine(adapter.DataDirectory, "with-audio.ts");
        var piece = await adapter.Get<FrameTransmuxer>().TransmuxAsync(
            adapter.Get<RecordedFrameReader>().ReadAsync(RecorderQuirksFixture.AudioAndMetadata, T0, T0.AddSeconds(20)), path, CancellationToken.None);
        Assert.Equal(500, piece!.Frames);
        Assert.Equal("", await Footage.Testing.TestMedia.DecodeErrorsAsync(path));
    }

    [Fact]
    public async Task Legacy_video_blocks_are_refused_at_once_with_a_clear_problem_instead_of_reconnecting()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var connections = Simulator.CountOf("imageserver_connection");
        var progress = new RecordedFrameReader.Progress();
        var e = await Assert.ThrowsAsync<MilestoneException>(() => Collect(adapter, RecorderQuirksFixture.LegacyVideoBlocks, T0, T0.AddSeconds(5), progress));
        Assert.Equal(MilestoneFailure.Unsupported, e.Failure);
        Assert.Contains("legacy video blocks", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, progress.Reconnects);
        Assert.Equal(connections + 1, Simulator.CountOf("imageserver_connection"));

        var refused = await Assert.ThrowsAsync<MilestoneException>(() => adapter.Get<MilestoneBackend>().OpenReadAsync(
            Core.Storage.StorageBuckets.Recordings, MilestoneKeys.For(RecorderQuirksFixture.LegacyVideoBlocks, T0, T0.AddSeconds(5)), null, CancellationToken.None));
        var problem = MilestoneProblems.Of(refused);
        Assert.Equal(502, problem.Status);
        Assert.Contains("legacy video blocks", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task JPEG_is_recognised_by_its_bytes_whatever_the_content_type_and_refused_for_storage_with_a_clear_problem(bool bare)
    {
        var device = bare ? RecorderQuirksFixture.BareJpeg : RecorderQuirksFixture.WrappedJpeg;
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        await using (var connection = await ConnectAsync(adapter, device))
        {
            var answer = await connection.GotoAsync(T0, CancellationToken.None);
            Assert.Equal("application/x-genericbytedata-octet-stream", answer.ContentType);
            Assert.Equal(VideoCodec.Jpeg, answer.Frame!.Codec);
            Assert.Equal(new byte[] { 0xFF, 0xD8 }, answer.Frame.Data[..2].ToArray());
        }

        var progress = new RecordedFrameReader.Progress();
        var frames = await Collect(adapter, device, T0, T0.AddSeconds(4), progress);
        Assert.Equal(100, frames.Count);
        Assert.All(frames, f => Assert.Equal(VideoCodec.Jpeg, f.Codec));
        Assert.Equal(0, progress.Reconnects);

        var e = await Assert.ThrowsAsync<MilestoneException>(() => adapter.Get<FrameTransmuxer>().TransmuxAsync(
            adapter.Get<RecordedFrameReader>().ReadAsync(device, T0, T0.AddSeconds(4)), Path.Combine(adapter.DataDirectory, "jpeg.ts"), CancellationToken.None));
        Assert.Equal(MilestoneFailure.Unsupported, e.Failure);
        Assert.Contains("JPEG", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SequencesGet_answered_try_again_is_made_again_with_the_same_token_not_a_new_sign_in()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var session = adapter.Get<MilestoneSession>();
        var recorders = adapter.Get<RecorderCommandClient>();
        var camera = await session.CameraAsync(RecorderQuirksFixture.Plain, CancellationToken.None);
        await session.TokenAsync(CancellationToken.None);
        var logins = Simulator.Tokens.Logins;
        var calls = Simulator.CountOf("SequencesGet");

        Simulator.Faults.ArmSoap("SequencesGet", 20001, 4, times: 2);
        var sequences = await session.WithTokenAsync(
            token => recorders.GetSequencesAsync(camera.RecorderUri, token, camera.DeviceId, SequenceTypes.Recording, T0.AddMinutes(-1), RecorderQuirksFixture.Now, 100, CancellationToken.None),
            CancellationToken.None);
        Assert.Single(sequences);
        Assert.Equal(calls + 3, Simulator.CountOf("SequencesGet"));
        Assert.Equal(logins, Simulator.Tokens.Logins);

        // a recorder that keeps saying so: a clear "unavailable" after the configured repeats, still no new sign-in
        Simulator.Faults.ArmSoap("SequencesGet", 20001, 4, times: 10);
        var e = await Assert.ThrowsAsync<MilestoneException>(() => session.WithTokenAsync(
            token => recorders.GetSequencesAsync(camera.RecorderUri, token, camera.DeviceId, SequenceTypes.Recording, T0.AddMinutes(-1), RecorderQuirksFixture.Now, 100, CancellationToken.None),
            CancellationToken.None));
        Assert.Equal(MilestoneFailure.Busy, e.Failure);
        Assert.Contains("sub-error 4", e.Message, StringComparison.Ordinal);
        Assert.Equal(503, MilestoneProblems.Of(e).Status);
        Assert.Equal(logins, Simulator.Tokens.Logins);
        Simulator.Faults.ArmSoap("SequencesGet", 0, 0, times: 0);
    }

    [Fact]
    public async Task A_recording_that_began_days_before_minTime_is_found()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var session = adapter.Get<MilestoneSession>();
        var camera = await session.CameraAsync(RecorderQuirksFixture.Continuous, CancellationToken.None);
        var token = await session.TokenAsync(CancellationToken.None);
        var from = RecorderQuirksFixture.Now.AddHours(-1);
        var around = Simulator.CountOf("SequencesGetAround");

        var sequences = await adapter.Get<RecorderCommandClient>().GetSequencesAsync(
            camera.RecorderUri, token, camera.DeviceId, SequenceTypes.Recording, from, RecorderQuirksFixture.Now, 100, CancellationToken.None);
        var sequence = Assert.Single(sequences);
        Assert.Equal(RecorderQuirksFixture.ContinuousSince, sequence.TimeBegin);
        Assert.True(sequence.TimeEnd > from);
        Assert.Equal(around + 1, Simulator.CountOf("SequencesGetAround"));

        // and its footage in the window reads like any other
        var frames = await Collect(adapter, RecorderQuirksFixture.Continuous, from, from.AddSeconds(3));
        Assert.Equal(75, frames.Count);
        Assert.Equal(from.ToUnixTimeMilliseconds(), frames[0].TimeMilliseconds);
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

    private static async Task<List<(long Pts, long Dts)>> PacketTimesAsync(string path)
    {
        var result = await Cli.Wrap("ffprobe")
            .WithArguments(["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts,dts", "-of", "csv=p=0", path])
            .ExecuteBufferedAsync();
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(','))
            .Select(v => (long.Parse(v[0], CultureInfo.InvariantCulture), long.Parse(v[1], CultureInfo.InvariantCulture)))
            .ToList();
    }

    internal static string[] Fingerprint(List<VideoFrame> frames) =>
        frames.Select(f => $"{f.TimeMilliseconds}:{f.IsKey}:{Convert.ToHexString(SHA256.HashData(f.Data.Span))}").ToArray();

    private async Task<ImageServerConnection> ConnectAsync(AdapterServices adapter, Guid camera)
    {
        var connection = await ImageServerConnection.OpenAsync(Simulator.BaseUri, false, TimeSpan.FromSeconds(5), CancellationToken.None);
        await connection.ConnectAsync(camera, await adapter.Get<MilestoneSession>().TokenAsync(CancellationToken.None), CancellationToken.None);
        return connection;
    }
}

using Footage.Milestone.Simulator;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Footage.Milestone.Tests;

/// <summary>
/// A simulated XProtect whose cameras are recorded the ways real recorders and cameras differ from the documentation: each
/// camera recorded 20 s from <see cref="T0"/> (a plain H.264 one to compare with), one per recorder quirk, B-frame streams
/// in H.264 and H.265, JPEG pictures, and a continuous recording that began three days ago.
/// </summary>
public sealed class RecorderQuirksFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = SimulatorFixture.Now;
    public static readonly DateTimeOffset T0 = Now.AddHours(-1);
    public static readonly Guid Plain = Camera(1);
    public static readonly Guid GotoKeyFrame = Camera(2);
    public static readonly Guid GotoWholeGop = Camera(3);
    public static readonly Guid BFramesH264 = Camera(4);
    public static readonly Guid BFramesH265 = Camera(5);
    public static readonly Guid NoPrevAndUnrelatedXml = Camera(6);
    public static readonly Guid AudioAndMetadata = Camera(7);
    public static readonly Guid LegacyVideoBlocks = Camera(8);
    public static readonly Guid BareJpeg = Camera(9);
    public static readonly Guid WrappedJpeg = Camera(10);
    public static readonly Guid Continuous = Camera(11);
    public static readonly DateTimeOffset ContinuousSince = Now.AddDays(-3);

    public FakeTimeProvider Clock { get; } = new(Now);

    public MilestoneSimulator Simulator { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        IReadOnlyList<SimulatedSequence> twenty = [new SimulatedSequence(T0, 20)];
        Simulator = await MilestoneSimulator.StartAsync(
        [
            new SimulatedCamera(Plain, "Plain H.264", twenty),
            new SimulatedCamera(GotoKeyFrame, "goto gives the GOP's key frame", twenty, Quirks: RecorderQuirks.GotoKeyFrame),
            new SimulatedCamera(GotoWholeGop, "goto gives the whole GOP", twenty, Quirks: RecorderQuirks.GotoWholeGop),
            new SimulatedCamera(BFramesH264, "H.264 with B-frames", twenty, BFrames: true),
            new SimulatedCamera(BFramesH265, "H.265 with B-frames", [new SimulatedSequence(T0, 6)], Hevc: true, BFrames: true),
            new SimulatedCamera(NoPrevAndUnrelatedXml, "No Prev, unrelated XML", twenty, Quirks: RecorderQuirks.NoPrev | RecorderQuirks.UnrelatedXml),
            new SimulatedCamera(AudioAndMetadata, "Audio, metadata, multi-packets", twenty,
                Quirks: RecorderQuirks.MultiPacket | RecorderQuirks.AudioPackets | RecorderQuirks.MetadataPackets),
            new SimulatedCamera(LegacyVideoBlocks, "Legacy video blocks", twenty, Quirks: RecorderQuirks.LegacyVideoBlocks),
            new SimulatedCamera(BareJpeg, "JPEG sent bare", [new SimulatedSequence(T0, 4)], Jpeg: true, Quirks: RecorderQuirks.BareJpeg),
            new SimulatedCamera(WrappedJpeg, "JPEG in GenericByteData", [new SimulatedSequence(T0, 4)], Jpeg: true),
            new SimulatedCamera(Continuous, "Continuous for days", [new SimulatedSequence(ContinuousSince, (Now - ContinuousSince).TotalSeconds - 60)]),
        ], clock: Clock);
    }

    public async ValueTask DisposeAsync() => await Simulator.DisposeAsync();

    private static Guid Camera(int n) => new($"{n:x8}-9a9a-4b4b-8c8c-0d0d0d0d0d0d");
}

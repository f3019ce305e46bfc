using Footage.Core.Segments;
using Footage.Recording.Cameras;
using Footage.Recording.Processes;
using Footage.Recording.Spool;
using Footage.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Footage.Recording.Tests.Cameras;

/// <summary>
/// Steps of the wall clock, with the monotonic clock going on evenly: a run keeps the times it started with, a new run
/// never overlaps footage already recorded, and each step is detected and shown.
/// </summary>
public sealed class ClockJumpTests : IDisposable
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);
    private readonly SteppedClock _clock = new();
    private readonly TempFolder _spool = new("clock-jump-spool");

    public void Dispose() => _spool.Dispose();

    [Fact]
    public void A_run_keeps_its_anchor_and_continuous_times_when_the_clock_jumps_forward_or_back()
    {
        var timeline = new RunTimeline(_clock, notBefore: null);
        var start = _clock.GetUtcNow();
        _clock.Monotonic.Advance(TimeSpan.FromSeconds(1));
        var anchor = timeline.Offer(Report(TimeSpan.FromSeconds(0.6)), segmentClosed: false);
        Assert.Equal(start + TimeSpan.FromSeconds(0.4), anchor!.Start);

        // the clock is stepped forward before the first segment closes: the next report gives the same zero, not 10 min later
        _clock.Step = TenMinutes;
        _clock.Monotonic.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Null(timeline.Offer(Report(TimeSpan.FromSeconds(1.1)), segmentClosed: false));
        Assert.Equal(start + TimeSpan.FromSeconds(0.4), timeline.Anchor!.Start);
        // the run's times are now 10 min behind the wall clock, and the status can say so
        Assert.Equal(-TenMinutes, timeline.OffsetFromWallClock());

        // and back by 20 min: still the same anchor (an earlier one would move every segment of the run back)
        _clock.Step = -TenMinutes;
        _clock.Monotonic.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Null(timeline.Offer(Report(TimeSpan.FromSeconds(1.6)), segmentClosed: false));
        Assert.Equal(start + TimeSpan.FromSeconds(0.4), timeline.Anchor!.Start);
        Assert.Equal(TenMinutes, timeline.OffsetFromWallClock());
    }

    [Fact]
    public void A_run_started_after_the_clock_was_stepped_back_begins_where_the_footage_already_recorded_ends()
    {
        var recordedUntil = _clock.GetUtcNow() + TimeSpan.FromSeconds(30);
        _clock.Step = -TenMinutes;
        var timeline = new RunTimeline(_clock, notBefore: recordedUntil);
        _clock.Monotonic.Advance(TimeSpan.FromSeconds(1));
        var anchor = timeline.Offer(Report(TimeSpan.FromSeconds(0.5)), segmentClosed: false);
        Assert.Equal(recordedUntil, anchor!.Start);
        // ahead of the wall clock by what it was moved: 10 min 30 s less the half second since zero
        Assert.Equal(TenMinutes + TimeSpan.FromSeconds(29.5), timeline.Shift);
        Assert.Equal(TenMinutes + TimeSpan.FromSeconds(29.5), timeline.OffsetFromWallClock());

        // without a step a run starts when the clock says, after the footage before it
        _clock.Step = TimeSpan.Zero;
        var later = new RunTimeline(_clock, notBefore: _clock.GetUtcNow() - TimeSpan.FromSeconds(3));
        _clock.Monotonic.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromSeconds(0.5), later.Offer(Report(TimeSpan.FromSeconds(0.5)), segmentClosed: false)!.Start);
        Assert.Equal(TimeSpan.Zero, later.Shift);
    }

    [Fact]
    public void The_anchor_is_fixed_once_a_segment_has_closed()
    {
        var timeline = new RunTimeline(_clock, notBefore: null);
        _clock.Monotonic.Advance(TimeSpan.FromSeconds(1));
        var first = timeline.Offer(Report(TimeSpan.FromSeconds(0.5)), segmentClosed: false)!;
        _clock.Monotonic.Advance(TimeSpan.FromSeconds(1));
        // a tighter report before the first segment closes moves it earlier; after, nothing does
        Assert.Equal(first.Start - TimeSpan.FromSeconds(0.2), timeline.Offer(Report(TimeSpan.FromSeconds(1.7)), segmentClosed: false)!.Start);
        _clock.Monotonic.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(timeline.Offer(Report(TimeSpan.FromSeconds(3)), segmentClosed: true));
    }

    [Fact]
    public void Steps_of_the_wall_clock_are_detected_counted_and_shown_on_every_camera_but_slewing_is_not()
    {
        var board = new StatusBoard();
        var camera = board.For(Guid.NewGuid());
        var detector = new ClockJumpDetector(board, Options.Create(new RecordingOptions()), _clock, NullLogger<ClockJumpDetector>.Instance);

        // NTP slewing: half a millisecond a second, for a minute
        for (var i = 0; i < 60; i++)
        {
            _clock.Monotonic.Advance(TimeSpan.FromSeconds(1));
            _clock.Step += TimeSpan.FromMilliseconds(0.5);
            Assert.Null(detector.Look());
        }

        _clock.Monotonic.Advance(TimeSpan.FromSeconds(1));
        _clock.Step += TenMinutes;
        var forward = detector.Look();
        Assert.Equal("forward", forward!.Direction);
        Assert.Equal(TenMinutes, forward.Size);
        Assert.Equal(_clock.GetUtcNow(), forward.At);
        Assert.Same(forward, camera.LastClockJump);

        _clock.Monotonic.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(detector.Look());
        _clock.Step -= TenMinutes;
        var backward = detector.Look();
        Assert.Equal("backward", backward!.Direction);
        Assert.Equal(-TenMinutes, backward.Size);
        Assert.Same(backward, camera.LastClockJump);
        Assert.Equal(2, detector.Count);
    }

    [Fact]
    public async Task The_end_of_recorded_footage_comes_from_this_process_the_spool_and_the_catalog()
    {
        var camera = Guid.NewGuid();
        var spool = new SpoolFolder(_spool.Path);
        var now = _clock.GetUtcNow();
        var catalog = new OneSegmentCatalog(new Segment(Guid.NewGuid(), camera, now, now + TimeSpan.FromSeconds(40), 40, 1, "filesystem", "k", null, null, now, null));
        var ends = new RecordedFootageEnds(catalog, spool, _clock, NullLogger<RecordedFootageEnds>.Instance);
        Assert.Null(await ends.EndAsync(camera, look: false, CancellationToken.None));

        await new SpooledSegment(camera, "r1-000001.ts", now + TimeSpan.FromSeconds(40), now + TimeSpan.FromSeconds(60)).WriteAsync(spool.CameraFolder(camera), CancellationToken.None);
        Assert.Equal(now + TimeSpan.FromSeconds(60), await ends.EndAsync(camera, look: true, CancellationToken.None));
        ends.Covered(camera, now + TimeSpan.FromSeconds(62));
        ends.Covered(camera, now + TimeSpan.FromSeconds(61));
        Assert.Equal(now + TimeSpan.FromSeconds(62), await ends.EndAsync(camera, look: false, CancellationToken.None));

        // a catalog that cannot answer does not keep the camera from recording
        var down = new RecordedFootageEnds(new OneSegmentCatalog(null), new SpoolFolder(_spool.Path), _clock, NullLogger<RecordedFootageEnds>.Instance);
        Assert.Null(await down.EndAsync(Guid.NewGuid(), look: true, CancellationToken.None));
        Assert.Equal(now + TimeSpan.FromSeconds(60), await down.EndAsync(camera, look: true, CancellationToken.None));
    }

    private ProgressReport Report(TimeSpan muxed) => new(muxed, _clock.GetUtcNow(), _clock.GetTimestamp());

    /// <summary>A catalog holding one segment, or (null) one whose database is down.</summary>
    private sealed class OneSegmentCatalog(Segment? segment) : ISegmentCatalog
    {
        public Task<SegmentRegistration> RegisterAsync(NewSegment segment, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<QuarantinedSegment> QuarantineAsync(NewSegment segment, Guid? conflictingSegmentId, string reason, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<Segment?> GetAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SegmentPage> ListAsync(SegmentQuery query, CancellationToken cancellationToken) =>
            segment is null
                ? throw new InvalidOperationException("the database is down")
                : Task.FromResult(new SegmentPage(segment.CameraId == query.CameraId && (query.From is null || segment.EndTime > query.From) ? [segment] : [], null));
    }
}

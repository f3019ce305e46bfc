using Footage.Core.Storage;
using Xunit;

namespace Footage.Storage.Tests.Unit;

public sealed class ObjectKeysTests
{
    [Fact]
    public void Segment_keys_follow_the_design_layout()
    {
        var camera = Guid.Parse("7f3c1d2e-0000-4000-8000-000000000001");
        Assert.Equal("7f3c1d2e-0000-4000-8000-000000000001/2026/11/24/13-05-09.000.ts",
            ObjectKeys.ForSegment(camera, new DateTimeOffset(2026, 11, 24, 17, 5, 9, TimeSpan.FromHours(4))));
        Assert.Equal("7f3c1d2e-0000-4000-8000-000000000001/2026/11/24/13-05-09.250.ts",
            ObjectKeys.ForSegment(camera, new DateTimeOffset(2026, 11, 24, 13, 5, 9, 250, TimeSpan.Zero).AddTicks(7)));
        Assert.Equal("7f3c1d2e-0000-4000-8000-000000000001/2026/11/24/13-05-09.jpg",
            ObjectKeys.ForThumbnail(camera, new DateTimeOffset(2026, 11, 24, 13, 5, 9, 250, TimeSpan.Zero)));
    }

    [Fact]
    public void A_segment_key_gives_back_its_camera_and_start_and_nothing_else_parses()
    {
        var camera = Guid.NewGuid();
        var start = new DateTimeOffset(2026, 11, 24, 13, 5, 9, 250, TimeSpan.Zero);
        Assert.True(ObjectKeys.TryParseSegment(ObjectKeys.ForSegment(camera, start), out var parsedCamera, out var parsedStart));
        Assert.Equal((camera, start), (parsedCamera, parsedStart));
        Assert.False(ObjectKeys.TryParseSegment($"{camera}/2026/11/24/13-05-09.ts", out _, out _));
        Assert.False(ObjectKeys.TryParseSegment($"{camera}/other.ts", out _, out _));
        Assert.False(ObjectKeys.TryParseSegment("holds/" + ObjectKeys.ForSegment(camera, start), out _, out _));
        Assert.Equal("holds/" + ObjectKeys.ForSegment(camera, start), ObjectKeys.ForHeldCopy(ObjectKeys.ForSegment(camera, start)));
        Assert.StartsWith($"quarantine/{camera}/2026/11/24/13-05-09.250-ab", ObjectKeys.ForQuarantine(camera, start, "AB" + new string('0', 62)));
    }

    [Fact]
    public void A_key_from_before_keys_carried_the_millisecond_gives_back_its_camera_and_second()
    {
        var camera = Guid.NewGuid();
        Assert.True(ObjectKeys.TryParseLegacySegment($"{camera}/2026/11/24/13-05-09.ts", out var parsedCamera, out var parsedStart));
        Assert.Equal((camera, new DateTimeOffset(2026, 11, 24, 13, 5, 9, TimeSpan.Zero)), (parsedCamera, parsedStart));
        Assert.False(ObjectKeys.TryParseLegacySegment(ObjectKeys.ForSegment(camera, parsedStart), out _, out _));
        Assert.False(ObjectKeys.TryParseLegacySegment($"{camera}/2026/11/24/13-05-09.jpg", out _, out _));
        Assert.False(ObjectKeys.TryParseLegacySegment($"{camera.ToString().ToUpperInvariant()}/2026/11/24/13-05-09.ts", out _, out _));
        Assert.False(ObjectKeys.TryParseLegacySegment($"holds/{camera}/2026/11/24/13-05-09.ts", out _, out _));
    }

    [Theory]
    [InlineData("cam/2026/11/24/13-00-00.ts")]
    [InlineData("a")]
    [InlineData("export=1/x+y_z.mp4")]
    public void Relative_plain_keys_are_safe(string key) => Assert.True(ObjectKeys.IsSafe(key, out _));

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("a/./b")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("a\\b")]
    [InlineData("C:/x")]
    [InlineData("a b")]
    [InlineData("a\u0000b")]
    [InlineData("a%2e%2e/b")]
    public void Keys_that_could_leave_the_bucket_are_refused(string key) => Assert.False(ObjectKeys.IsSafe(key, out _));
}

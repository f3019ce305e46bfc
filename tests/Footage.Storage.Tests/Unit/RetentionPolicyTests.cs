using Footage.Storage.Retention;
using Footage.Storage.Segments;
using Xunit;

namespace Footage.Storage.Tests.Unit;

public sealed class RetentionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_camera_override_replaces_the_default_both_ways()
    {
        var longer = Guid.NewGuid();
        var shorter = Guid.NewGuid();
        var policy = new RetentionPolicy(90, new Dictionary<Guid, int> { [longer] = 365, [shorter] = 7 });

        Assert.True(policy.IsExpired(Guid.NewGuid(), Now.AddDays(-91), Now));
        Assert.False(policy.IsExpired(Guid.NewGuid(), Now.AddDays(-89), Now));
        Assert.False(policy.IsExpired(longer, Now.AddDays(-200), Now));
        Assert.True(policy.IsExpired(shorter, Now.AddDays(-8), Now));
        Assert.Equal(Now.AddDays(-7), policy.EarliestCutoff(Now));
    }

    [Fact]
    public void Cursors_round_trip_and_garbage_is_refused()
    {
        var id = Guid.NewGuid();
        var cursor = SegmentCursor.Encode(Now, id);
        Assert.True(SegmentCursor.TryDecode(cursor, out var start, out var decoded));
        Assert.Equal(Now, start);
        Assert.Equal(id, decoded);
        Assert.False(SegmentCursor.TryDecode("!!!", out _, out _));
        Assert.False(SegmentCursor.TryDecode(Convert.ToBase64String("1:2:3"u8.ToArray()), out _, out _));
    }
}

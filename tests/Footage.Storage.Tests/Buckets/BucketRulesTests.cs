using Footage.Core.Storage;
using Footage.Storage.Buckets;
using Xunit;

namespace Footage.Storage.Tests.Buckets;

public sealed class BucketRulesTests
{
    [Fact]
    public void The_spec_defaults_give_recordings_a_day_past_90_exports_7_thumbnails_30_and_clips_no_expiry()
    {
        var rules = BucketRules.For(new RetentionOptions(), longestCameraRetentionDays: null).ToDictionary(r => r.Bucket);

        Assert.Equal(91, rules[StorageBuckets.Recordings].ExpireDays);
        Assert.Equal(7, rules[StorageBuckets.Exports].ExpireDays);
        Assert.Equal(30, rules[StorageBuckets.Thumbnails].ExpireDays);
        Assert.Null(rules[StorageBuckets.Clips].ExpireDays);
        Assert.All(rules.Values, r => Assert.Equal(1, r.AbortUploadsAfterDays));
        Assert.Equal(StorageBuckets.All.Order(), rules.Keys.Order());
    }

    [Theory]
    [InlineData(90, 30, 91)]
    [InlineData(90, 90, 91)]
    [InlineData(90, 365, 366)]
    [InlineData(30, 60, 61)]
    public void Recordings_never_expire_before_the_longest_retention_of_any_camera(int defaultDays, int longestCamera, int expected) =>
        Assert.Equal(expected, BucketRules.For(new RetentionOptions { RecordingsDays = defaultDays }, longestCamera).Single(r => r.Bucket == StorageBuckets.Recordings).ExpireDays);
}

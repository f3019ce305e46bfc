using Footage.Core.Storage;

namespace Footage.Storage.Buckets;

/// <summary>
/// The pure part of the buckets' lifecycle: which rule each of the four buckets gets. The rules are a second line behind
/// Footage's own retention job, which deletes catalog rows and objects together: recordings expire one day after the
/// longest retention any camera has (the default or a camera's <c>retention_days</c>), so that the job, which runs every
/// hour and counts from a segment's end, always acts before the store does; exports and thumbnails after their retention;
/// clips (incident clips and held footage) never.
/// </summary>
public static class BucketRules
{
    /// <summary>The id of Footage's rule in each bucket; rules with other ids (an operator's own) are kept as they are.</summary>
    public const string RuleId = "footage";

    public const int RecordingsMarginDays = 1;

    public const int AbortUploadsAfterDays = 1;

    /// <summary>A clip an admin deleted is gone from cctv-clips (versioned for its object lock) a day later, data included.</summary>
    public const int NoncurrentVersionsAfterDays = 1;

    /// <param name="longestCameraRetentionDays">The longest <c>retention_days</c> of any camera; null when none sets one.</param>
    public static IReadOnlyList<BucketRule> For(RetentionOptions retention, int? longestCameraRetentionDays) =>
    [
        Recordings(retention.RecordingsDays, longestCameraRetentionDays),
        new(StorageBuckets.Exports, retention.ExportsDays, AbortUploadsAfterDays),
        new(StorageBuckets.Thumbnails, retention.ThumbnailsDays, AbortUploadsAfterDays),
        new(StorageBuckets.Clips, null, AbortUploadsAfterDays, NoncurrentVersionsAfterDays),
    ];

    public static BucketRule Recordings(int defaultDays, int? longestCameraRetentionDays) =>
        new(StorageBuckets.Recordings, RecordingsExpiryFor(Math.Max(defaultDays, longestCameraRetentionDays ?? 0)), AbortUploadsAfterDays);

    /// <summary>The expiry the recordings bucket needs so that footage kept <paramref name="retentionDays"/> days is never removed by the store first.</summary>
    public static int RecordingsExpiryFor(int retentionDays) => retentionDays + RecordingsMarginDays;
}

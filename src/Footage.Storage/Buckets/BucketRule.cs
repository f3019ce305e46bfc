namespace Footage.Storage.Buckets;

/// <summary>
/// One bucket's lifecycle as Footage sets it: its objects expire <paramref name="ExpireDays"/> days after they were
/// written (null: never), and a multipart upload left unfinished is aborted after <paramref name="AbortUploadsAfterDays"/>
/// (null: the store's own business, as MinIO, which purges unfinished uploads after a day by itself and has no such rule).
/// In a versioned bucket (cctv-clips, which has object lock) a deleted or overwritten object leaves its data behind as a
/// noncurrent version: that goes <paramref name="NoncurrentVersionsAfterDays"/> days later (null: no such rule), unless a
/// legal hold keeps it.
/// </summary>
public sealed record BucketRule(string Bucket, int? ExpireDays, int? AbortUploadsAfterDays, int? NoncurrentVersionsAfterDays = null);

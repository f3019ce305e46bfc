namespace Footage.Storage.Buckets;

/// <summary>
/// One bucket's lifecycle as Footage sets it: its objects expire <paramref name="ExpireDays"/> days after they were
/// written (null: never), and a multipart upload left unfinished is aborted after <paramref name="AbortUploadsAfterDays"/>
/// (null: the store's own business, as MinIO, which purges unfinished uploads after a day by itself and has no such rule).
/// </summary>
public sealed record BucketRule(string Bucket, int? ExpireDays, int? AbortUploadsAfterDays);

namespace Footage.Storage.Buckets;

/// <summary>What the Storage service knows of the S3 buckets' set-up, for its health entry and for the evidence code.</summary>
/// <param name="ClipsObjectLock">Whether cctv-clips has S3 Object Lock (legal holds on its objects); null while unknown.</param>
/// <param name="RecordingsExpiryDays">After how many days the store expires recordings (the shortest of its rules); null when no rule expires them or unknown.</param>
/// <param name="Managed">Footage sets the buckets up (<c>Footage:Storage:S3:CreateBuckets</c>) rather than an operator.</param>
/// <param name="Warning">Ready, but something needs an operator (a rule of someone else's expires recordings too soon).</param>
public sealed record BucketSetup(
    BucketSetupStatus Status, string Description, bool? ClipsObjectLock = null, int? RecordingsExpiryDays = null, bool Managed = true, bool Warning = false)
{
    public static BucketSetup NoS3 { get; } = new(BucketSetupStatus.NotUsed, "no S3 backend");
}

public enum BucketSetupStatus
{
    NotUsed,

    /// <summary>Not done yet: the store could not be reached so far (retried).</summary>
    Pending,

    Ready,

    /// <summary>The store refused this service's credentials or denied it what the set-up needs: not retried.</summary>
    Failed,
}

namespace Footage.Storage.Retention;

/// <summary>What one retention run did.</summary>
public sealed record RetentionReport(
    bool Ran,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int SegmentsDeletedByAge,
    int SegmentsDeletedBySize,
    int SegmentsDeletedForFreeSpace,
    int SegmentsKeptUnderHold,
    int ExportsExpired,
    int ThumbnailsDeleted,
    int ObjectsDeleted,
    long DeletionQueuePending);

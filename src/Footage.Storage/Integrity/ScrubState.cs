namespace Footage.Storage.Integrity;

/// <summary>Where the scrub is: the last segment id of the running pass, and when passes and reconciliations last happened.</summary>
public sealed record ScrubState(
    Guid? AfterId,
    bool PassRunning,
    DateTimeOffset? PassStartedAt,
    int PassesCompleted,
    DateTimeOffset? LastPassCompletedAt,
    DateTimeOffset? LastReconciledAt);

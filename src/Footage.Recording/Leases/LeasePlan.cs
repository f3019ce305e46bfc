namespace Footage.Recording.Leases;

/// <summary>
/// What one recorder does in one round: cameras to stop (and why), cameras it holds to start, and free cameras to try
/// to take in order until <see cref="Room"/> of them were taken.
/// </summary>
public sealed record LeasePlan(
    int Share,
    IReadOnlyList<(Guid CameraId, LeaseRelease Reason)> Stop,
    IReadOnlyList<Guid> Start,
    IReadOnlyList<Guid> Candidates,
    int Room);

/// <summary>Why a recorder stops a camera.</summary>
public enum LeaseRelease
{
    /// <summary>Another recorder holds the lease now (ours expired): stop at once, nothing to give back.</summary>
    Lost,

    /// <summary>The camera should no longer record.</summary>
    Unwanted,

    /// <summary>This recorder is drained for maintenance.</summary>
    Drained,

    /// <summary>This recorder holds more than its fair share since another one joined.</summary>
    Rebalanced,
}

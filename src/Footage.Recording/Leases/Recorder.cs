namespace Footage.Recording.Leases;

/// <summary>One row of <c>recorders</c>: a recorder process's heartbeat; it counts as alive until <see cref="ExpiresAt"/>.</summary>
public sealed record Recorder(string RecorderId, string? RecorderUrl, bool Draining, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt)
{
    public bool IsLive(DateTimeOffset now) => ExpiresAt >= now;
}

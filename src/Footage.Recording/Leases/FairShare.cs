namespace Footage.Recording.Leases;

/// <summary>
/// The pure core of lease sharing: from the leases, the recorders alive and the cameras that should record, what this
/// recorder stops, starts and tries to take. Each live recorder that is not draining takes at most
/// ceil(cameras / recorders), so the cameras spread evenly and every camera finds a recorder.
/// </summary>
public static class FairShare
{
    public static LeasePlan Plan(
        string me,
        bool draining,
        DateTimeOffset now,
        IReadOnlyCollection<Guid> wanted,
        IReadOnlyCollection<CameraLease> leases,
        IReadOnlyCollection<Recorder> recorders,
        IReadOnlyCollection<Guid> running)
    {
        var wantedSet = wanted.ToHashSet();
        var held = leases.Where(l => l.RecorderId == me).Select(l => l.CameraId).ToHashSet();
        var stop = new List<(Guid, LeaseRelease)>();
        stop.AddRange(running.Where(c => !held.Contains(c)).Order().Select(c => (c, LeaseRelease.Lost)));
        stop.AddRange(held.Where(c => !wantedSet.Contains(c)).Order().Select(c => (c, LeaseRelease.Unwanted)));
        var keep = held.Where(wantedSet.Contains).ToList();

        var sharing = recorders.Where(r => r.IsLive(now) && !r.Draining).Select(r => r.RecorderId).ToHashSet();
        if (!draining)
        {
            sharing.Add(me);
        }

        var share = sharing.Count == 0 ? 0 : (wantedSet.Count + sharing.Count - 1) / sharing.Count;
        if (draining)
        {
            stop.AddRange(keep.Order().Select(c => (c, LeaseRelease.Drained)));
            return new LeasePlan(0, stop, [], [], 0);
        }

        // the cameras held longest stay: give back the ones taken last
        var acquired = leases.Where(l => l.RecorderId == me).ToDictionary(l => l.CameraId, l => l.AcquiredAt);
        var ordered = keep.OrderBy(c => acquired[c]).ThenBy(c => c).ToList();
        stop.AddRange(ordered.Skip(share).Select(c => (c, LeaseRelease.Rebalanced)));
        var kept = ordered.Take(share).ToList();

        var runningSet = running.ToHashSet();
        var start = kept.Where(c => !runningSet.Contains(c)).ToList();
        var taken = leases.Where(l => l.IsLive(now)).Select(l => l.CameraId).ToHashSet();
        // each recorder tries the free cameras in its own order, so that recorders racing for them mostly try different ones
        var free = wantedSet.Where(c => !taken.Contains(c) && !held.Contains(c)).OrderBy(c => Preference(me, c)).ThenBy(c => c).ToList();
        return new LeasePlan(share, stop, start, free, Math.Max(0, share - kept.Count));
    }

    private static uint Preference(string me, Guid camera)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(me).Concat(camera.ToByteArray()))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}

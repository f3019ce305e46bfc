using System.Collections.Concurrent;
using Footage.Core.Live;

namespace Footage.Playback.Live;

/// <summary>
/// The recorder's uncatalogued files of a camera, asked of the <see cref="ILiveSegmentSource"/> at most once per
/// <see cref="Freshness"/> however many viewers refresh or wait at once: a wall of low-latency players asks several times a
/// second each, the recorder is asked ten times a second per camera.
/// </summary>
public sealed class LiveSegmentSnapshots(ILiveSegmentSource source, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<Guid, (Task<IReadOnlyList<LiveSegment>> Listing, long Started)> _latest = new();

    public async Task<IReadOnlyList<LiveSegment>> ListAsync(Guid cameraId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = clock.GetTimestamp();
            if (_latest.TryGetValue(cameraId, out var held) && (!held.Listing.IsCompleted || clock.GetElapsedTime(held.Started, now) < Freshness))
            {
                return await held.Listing.WaitAsync(cancellationToken);
            }

            // shared by every caller, so no caller's cancellation ends it; the source has its own time limit
            var fresh = (ListSafelyAsync(cameraId), now);
            if (held.Listing is null ? _latest.TryAdd(cameraId, fresh) : _latest.TryUpdate(cameraId, fresh, held))
            {
                return await fresh.Item1.WaitAsync(cancellationToken);
            }
        }
    }

    public Task<Stream?> OpenReadAsync(Guid cameraId, string file, Core.Storage.ByteRange range, CancellationToken cancellationToken) =>
        source.OpenReadAsync(cameraId, file, range, cancellationToken);

    private async Task<IReadOnlyList<LiveSegment>> ListSafelyAsync(Guid cameraId)
    {
        await Task.Yield();
        return await source.ListAsync(cameraId, CancellationToken.None);
    }
}

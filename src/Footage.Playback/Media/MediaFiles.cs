using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Playback.Live;
using Footage.Playback.Playlists;

namespace Footage.Playback.Media;

/// <summary>
/// Finds the recorded file a media link names (<see cref="MediaName"/>: the camera and about when it starts): the catalogued
/// segment that starts nearest to it, else the recorder's uncatalogued file. The catalog is asked on every request, so a deleted
/// segment is never served.
/// </summary>
public sealed class MediaFiles(ISegmentCatalog catalog, LiveSegmentSnapshots live, IStorageBackendRegistry backends)
{
    public abstract record Found;

    public sealed record Stored(Segment Segment, IStorageBackend? Backend) : Found;

    public sealed record Spooled(Guid CameraId, LiveSegment File) : Found
    {
        /// <summary>Bytes that may be read: up to the last whole picture of a file being written.</summary>
        public long Available => File.Open && File.Frames.Count > 0 ? Math.Max(File.SizeBytes, File.Frames[^1].ByteOffset) : File.SizeBytes;
    }

    public async Task<Found?> FindAsync(Guid cameraId, MediaName name, CancellationToken cancellationToken)
    {
        if (await StoredAsync(cameraId, name, cancellationToken) is { } stored)
        {
            return stored;
        }

        var file = (await live.ListAsync(cameraId, cancellationToken))
            .Where(f => name.Matches(f.StartTime, LiveFootage.Backend))
            .MinBy(f => Math.Abs((f.StartTime - name.Start).TotalMilliseconds));
        return file is null ? null : new Spooled(cameraId, file);
    }

    public async Task<Stored?> StoredAsync(Guid cameraId, MediaName name, CancellationToken cancellationToken)
    {
        var page = await catalog.ListAsync(new SegmentQuery(cameraId, name.Start - MediaName.Tolerance, name.Start + MediaName.Tolerance, null, 20), cancellationToken);
        var segment = page.Items.Where(s => name.Matches(s.StartTime, s.StorageBackend)).MinBy(s => Math.Abs((s.StartTime - name.Start).TotalMilliseconds));
        return segment is null ? null : new Stored(segment, backends.TryGet(segment.StorageBackend, out var backend) ? backend : null);
    }

    /// <summary>A byte range of the file; null when it is not there (a spooled file uploaded meanwhile and not catalogued yet).</summary>
    public async Task<Stream?> OpenAsync(Found found, ByteRange range, CancellationToken cancellationToken)
    {
        switch (found)
        {
            case Stored { Backend: { } backend, Segment: var segment }:
                var read = await backend.OpenReadAsync(StorageBuckets.Recordings, segment.StoragePath, range, cancellationToken);
                return read?.Content;
            case Spooled spooled:
                return await live.OpenReadAsync(spooled.CameraId, spooled.File.File, range, cancellationToken);
            default:
                return null;
        }
    }
}

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

    /// <param name="keyframes">Read the catalogued segment's key-frame index too.</param>
    public async Task<Found?> FindAsync(Guid cameraId, MediaName name, CancellationToken cancellationToken, bool keyframes = false)
    {
        if (await StoredAsync(cameraId, name, cancellationToken, keyframes) is { } stored)
        {
            return stored;
        }

        var file = (await live.ListAsync(cameraId, cancellationToken))
            .Where(f => name.Matches(f.StartTime, LiveFootage.Backend))
            .MinBy(f => Math.Abs((f.StartTime - name.Start).TotalMilliseconds));
        return file is null ? null : new Spooled(cameraId, file);
    }

    public async Task<Stored?> StoredAsync(Guid cameraId, MediaName name, CancellationToken cancellationToken, bool keyframes = false)
    {
        var page = await catalog.ListAsync(
            new SegmentQuery(cameraId, name.Start - MediaName.Tolerance, name.Start + MediaName.Tolerance, null, 20, keyframes), cancellationToken);
        var segment = page.Items.Where(s => name.Matches(s.StartTime, s.StorageBackend)).MinBy(s => Math.Abs((s.StartTime - name.Start).TotalMilliseconds));
        return segment is null ? null : new Stored(segment, backends.TryGet(segment.StorageBackend, out var backend) ? backend : null);
    }

    /// <summary>
    /// Whether [offset, offset + length) is a run of whole groups of pictures of the file: it starts at its first byte or a key
    /// frame and ends at a key frame or its end (what a chunk is; a transcoded chunk can be asked for nothing else).
    /// </summary>
    public static bool IsWholeGroups(Found found, long offset, long length)
    {
        var (keys, size) = found switch
        {
            Stored stored => (stored.Segment.Keyframes?.Entries.Select(k => k.ByteOffset) ?? [], stored.Segment.SizeBytes),
            Spooled spooled => (spooled.File.Keyframes.Entries.Select(k => k.ByteOffset).Append(spooled.File.SizeBytes), spooled.File.SizeBytes),
            _ => ([], 0L),
        };
        var bounds = keys.Append(0).Append(size).ToHashSet();
        return length > 0 && offset + length <= size && bounds.Contains(offset) && bounds.Contains(offset + length);
    }

    /// <summary>A byte range of the file; null when it is not there (a spooled file uploaded meanwhile and not catalogued yet).</summary>
    public async Task<Stream?> OpenAsync(Found found, ByteRange range, CancellationToken cancellationToken)
    {
        switch (found)
        {
            case Stored { Backend: { } backend, Segment: var segment }:
                var read = await backend.OpenReadAsync(segment.StorageBucket, segment.StoragePath, range, cancellationToken);
                return read?.Content;
            case Spooled spooled:
                return await live.OpenReadAsync(spooled.CameraId, spooled.File.File, range, cancellationToken);
            default:
                return null;
        }
    }
}

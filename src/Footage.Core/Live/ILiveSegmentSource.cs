using Footage.Core.Storage;

namespace Footage.Core.Live;

/// <summary>
/// The footage of a camera that the recorder holds and the catalog does not have yet: the recorder's spool in-process,
/// or the Recording service's live API in split mode. Playback appends it to a live (EVENT) playlist.
/// </summary>
public interface ILiveSegmentSource
{
    /// <summary>The camera's uncatalogued files, oldest first; empty when it is not being recorded here.</summary>
    Task<IReadOnlyList<LiveSegment>> ListAsync(Guid cameraId, CancellationToken cancellationToken);

    /// <summary>A byte range of one of those files; null when the file is gone (uploaded and removed, or never there).</summary>
    Task<Stream?> OpenReadAsync(Guid cameraId, string file, ByteRange range, CancellationToken cancellationToken);
}

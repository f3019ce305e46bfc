namespace Footage.Playback.Live;

/// <summary>
/// A blocking playlist reload (LL-HLS <c>_HLS_msn</c>, <c>_HLS_part</c>): answer once the playlist holds that media segment (whole),
/// or that partial segment of it.
/// </summary>
public readonly record struct LiveWait(long MediaSequence, int? Part)
{
    public bool IsMetBy(long lastSequence, int pendingParts) =>
        MediaSequence <= lastSequence || (Part is { } part && MediaSequence == lastSequence + 1 && pendingParts > part);
}

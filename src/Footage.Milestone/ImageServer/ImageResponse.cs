namespace Footage.Milestone.ImageServer;

/// <summary>
/// An <c>ImageResponse</c> of the ImageServer: the times of the previous, current and next recorded image
/// (ms since the epoch; all 0 when nothing is recorded) and the image, when there is one.
/// </summary>
public sealed record ImageResponse(long Prev, long Current, long Next, string? ContentType, VideoFrame? Frame)
{
    public bool IsEmpty => Current == 0 && Frame is null;

    /// <summary>At the end of the recording <c>next</c> answers the last image again, with <c>Next == Current</c>.</summary>
    public bool IsLast => Next == Current;
}

namespace Footage.Milestone.ImageServer;

/// <summary>
/// An <c>ImageResponse</c> of the ImageServer: the times of the previous (when the recorder sends it), current and next
/// recorded image (ms since the epoch; all 0 when nothing is recorded) and its frames: one, several when the answer is a
/// whole GOP (<c>multipart/related</c>), none when it held only audio or metadata (<paramref name="Skipped"/> packets).
/// </summary>
public sealed record ImageResponse(long? Prev, long Current, long Next, string? ContentType, IReadOnlyList<VideoFrame> Frames, int Skipped = 0)
{
    /// <summary>The frame of a one-frame answer.</summary>
    public VideoFrame? Frame => Frames.Count > 0 ? Frames[0] : null;

    public bool IsEmpty => Current == 0 && Frames.Count == 0 && Skipped == 0;

    /// <summary>
    /// At the end of the recording <c>next</c> answers the last image again, with <c>Next == Current</c>. Two frames of a
    /// B-frame stream can share a millisecond, so <c>Next == Current</c> alone does not say the recording ended.
    /// </summary>
    public bool IsLast => Next == Current;

    /// <summary>The same answer again (same times, same frames): what <c>next</c> gives at the end of the recording.</summary>
    public bool Repeats(ImageResponse? previous) =>
        previous is not null && previous.Current == Current && previous.Next == Next && previous.Skipped == Skipped
        && previous.Frames.Count == Frames.Count
        && Frames.Zip(previous.Frames).All(p => p.First.TimeMilliseconds == p.Second.TimeMilliseconds && p.First.Data.Span.SequenceEqual(p.Second.Data.Span));
}

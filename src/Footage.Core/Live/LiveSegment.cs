using Footage.Core.Segments;

namespace Footage.Core.Live;

/// <summary>
/// A recorded file not in the catalog yet, as the recorder has it: closed and waiting for upload, or still being
/// written (<see cref="Open"/>). For an open file, <see cref="SizeBytes"/>, <see cref="EndTime"/> and
/// <see cref="Keyframes"/> stop at the start of its last key frame: only whole groups of pictures are offered.
/// <see cref="Frames"/> are where its most recent pictures start (the last few hundred, key frames included, the last key
/// frame and those after it too): a picture followed by another is whole, which is what partial segments are cut from.
/// </summary>
public sealed record LiveSegment(string File, DateTimeOffset StartTime, DateTimeOffset EndTime, long SizeBytes, KeyframeIndex Keyframes, bool Open)
{
    public IReadOnlyList<LiveFrame> Frames { get; init; } = [];
}

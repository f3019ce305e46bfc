namespace Footage.Recording.Sources;

/// <summary>What a camera sends, as ffprobe reads it from its RTSP session: the video codec, whether its video has B-frames, its audio codecs.</summary>
public sealed record CameraStreams(string? VideoCodec, bool HasBFrames, IReadOnlyList<string> AudioCodecs)
{
    public static CameraStreams Unknown { get; } = new(null, false, []);
}

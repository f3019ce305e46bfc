using Footage.Core.Cameras;
using Footage.Recording.Processes;
using Footage.Recording.Sources;

namespace Footage.Recording.Api;

/// <summary>
/// A camera's streams in its status: <c>video_codec</c> and <c>audio_codecs</c> as the camera sends them, <c>audio</c> what the
/// recording does with the sound (<c>none</c>, <c>copied</c>, <c>converted_to_aac</c>, <c>dropped</c>), <c>b_frames</c> whether the
/// video has B-frames (its recording then starts at the second key frame of each run), <c>rtsp_transport</c>.
/// </summary>
public sealed record RecordedStreamsResponse(string? VideoCodec, IReadOnlyList<string> AudioCodecs, string Audio, bool BFrames, string RtspTransport)
{
    public static RecordedStreamsResponse From(CameraStreams streams, RecordingPlan plan) =>
        new(streams.VideoCodec, streams.AudioCodecs, plan.AudioWire, plan.BFrames, CameraStreamSettings.ToWire(plan.Transport));
}

using Footage.Core.Cameras;
using Footage.Recording.Sources;

namespace Footage.Recording.Processes;

/// <summary>How one camera is recorded, from its settings and what it sends.</summary>
public sealed record RecordingPlan(RtspTransport Transport, AudioHandling Audio, bool BFrames)
{
    /// <summary>Audio codecs MPEG-TS carries and browsers play: copied. Any other is converted to AAC or dropped.</summary>
    public static readonly IReadOnlySet<string> CopiedAudio = new HashSet<string>(StringComparer.Ordinal) { "aac", "mp3" };

    public static RecordingPlan Default { get; } = new(RtspTransport.Tcp, AudioHandling.Copy, false);

    public static RecordingPlan For(Camera camera, CameraStreams streams, bool bFramesSeen)
    {
        var audio = streams.AudioCodecs.Count == 0 ? AudioHandling.None
            : camera.Audio == CameraAudio.Drop ? AudioHandling.Drop
            : streams.AudioCodecs.All(CopiedAudio.Contains) ? AudioHandling.Copy
            : AudioHandling.ToAac;
        return new RecordingPlan(camera.RtspTransport, audio, streams.HasBFrames || bFramesSeen);
    }

    /// <summary>When the camera could not be asked: any sound copied (or dropped as set), as before the probe existed.</summary>
    public static RecordingPlan Unprobed(Camera camera, bool bFramesSeen) =>
        new(camera.RtspTransport, camera.Audio == CameraAudio.Drop ? AudioHandling.Drop : AudioHandling.Copy, bFramesSeen);

    /// <summary>The words of the camera's status: what its sound becomes.</summary>
    public string AudioWire => Audio switch
    {
        AudioHandling.Copy => "copied",
        AudioHandling.ToAac => "converted_to_aac",
        AudioHandling.Drop => "dropped",
        _ => "none",
    };
}

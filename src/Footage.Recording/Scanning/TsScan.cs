using Footage.Core.Segments;

namespace Footage.Recording.Scanning;

/// <summary>
/// What <see cref="TsScanner"/> found in an MPEG-TS file: how many bytes are whole packets, the video's
/// key frames (time from the first picture, byte offset of the PAT/PMT before each) and its duration by PTS.
/// </summary>
public sealed record TsScan(long ValidLength, int? VideoPid, IReadOnlyList<Keyframe> Keyframes, double DurationSeconds)
{
    /// <summary>The PMT's stream type of the video: 0x1B H.264, 0x24 H.265.</summary>
    public int? VideoStreamType { get; init; }

    /// <summary>The PMT's stream types of the other streams (sound: 0x0F AAC, 0x03/0x04 MPEG audio; 0x06 private data).</summary>
    public IReadOnlyList<int> OtherStreamTypes { get; init; } = [];

    /// <summary>
    /// A stream of private data (stream type 0x06): what ffmpeg's copy makes of sound MPEG-TS cannot carry (G.711 becomes
    /// <c>bin_data</c>), which no player reads. The recorder converts or drops such sound, so a recorded segment never has one.
    /// </summary>
    public bool HasPrivateDataStream => OtherStreamTypes.Contains(0x06);

    /// <summary>Where the most recent pictures start (ms from the first picture, like <see cref="Keyframes"/>), oldest first.</summary>
    public IReadOnlyList<Core.Live.LiveFrame> RecentFrames { get; init; } = [];

    /// <summary>Playable footage: whole packets, a video stream and at least one key frame to start decoding at.</summary>
    public bool IsPlayable => ValidLength > 0 && VideoPid is not null && Keyframes.Count > 0 && DurationSeconds > 0;

    public KeyframeIndex ToIndex() => new(Keyframes);
}

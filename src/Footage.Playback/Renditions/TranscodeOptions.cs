using System.ComponentModel.DataAnnotations;

namespace Footage.Playback.Renditions;

/// <summary>
/// <c>Footage:Playback:Transcode</c>: the H.264 rendition offered beside a camera whose codec a browser may not decode (H.265),
/// transcoded by ffmpeg chunk by chunk on the first request and cached.
/// </summary>
public sealed class TranscodeOptions
{
    public const string Section = "Footage:Playback:Transcode";

    public bool Enabled { get; set; } = true;

    /// <summary>Pictures taller than this are scaled down (the width follows the aspect ratio).</summary>
    [Range(90, 2160)]
    public int MaxHeight { get; set; } = 1080;

    [Range(100, 50_000)]
    public int BitrateKbps { get; set; } = 3000;
}

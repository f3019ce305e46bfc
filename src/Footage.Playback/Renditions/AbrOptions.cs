using System.ComponentModel.DataAnnotations;

namespace Footage.Playback.Renditions;

/// <summary><c>Footage:Playback:Abr</c>: the lower rendition of the master playlist, transcoded by ffmpeg on demand (off by default).</summary>
public sealed class AbrOptions
{
    public const string Section = "Footage:Playback:Abr";

    public bool Enabled { get; set; }

    /// <summary>Picture height of the lower rendition (the width follows the aspect ratio).</summary>
    [Range(90, 2160)]
    public int LowHeight { get; set; } = 360;

    /// <summary>Video bitrate of the lower rendition.</summary>
    [Range(50, 20_000)]
    public int LowBitrateKbps { get; set; } = 400;
}

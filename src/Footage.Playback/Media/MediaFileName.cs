using System.Globalization;
using Footage.Playback.Playlists;

namespace Footage.Playback.Media;

/// <summary>
/// The last part of a media link: <c>{name}.ts</c>, a recorded file (read with Range), or <c>{name}_{offset}_{length}_{rendition}.ts</c>,
/// one chunk of it transcoded (<c>low</c>: the adaptive-bitrate rendition; <c>h264</c>: for browsers that cannot decode the camera's codec).
/// </summary>
public readonly record struct MediaFileName(MediaName Name, long Offset, long Length, string? Rendition)
{
    public static string Original(MediaName name) => name + ".ts";

    public static string Transcoded(MediaName name, long offset, long length, string rendition) =>
        string.Create(CultureInfo.InvariantCulture, $"{name}_{offset}_{length}_{rendition}.ts");

    public static bool TryParse(string file, out MediaFileName parsed)
    {
        parsed = default;
        if (!file.EndsWith(".ts", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = file[..^3].Split('_');
        if (parts.Length == 1)
        {
            if (!MediaName.TryParse(parts[0], out var name))
            {
                return false;
            }

            parsed = new MediaFileName(name, 0, 0, null);
            return true;
        }

        if (parts.Length == 4 && MediaName.TryParse(parts[0], out var chunkOf) &&
            long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) &&
            long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0 &&
            parts[3] is Renditions.TranscodedRendition.Low or Renditions.TranscodedRendition.H264)
        {
            parsed = new MediaFileName(chunkOf, offset, length, parts[3]);
            return true;
        }

        return false;
    }
}

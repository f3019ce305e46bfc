using Footage.ServiceDefaults.Auth;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Media;

/// <summary>
/// The media folder of a camera, <c>/api/v1/playback/{camera_id}/m/{token}/</c>, as playlists link it: the token signs the camera's
/// folder for a window (it expires <see cref="PlaybackOptions.MediaLinkLifetime"/> after the end of the hour it was made in), so
/// every playlist built in that hour, on any node, carries the same links, and a chunk line is a short file name under it.
/// </summary>
public sealed class MediaTokens(LinkSigner signer, IOptions<PlaybackOptions> options, TimeProvider clock)
{
    public static string Folder(Guid cameraId) => $"/api/v1/playback/{cameraId:D}/m/";

    /// <summary>The token of the current window.</summary>
    public string Current(Guid cameraId)
    {
        var now = clock.GetUtcNow();
        var hourEnd = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        return signer.SignFolder(Folder(cameraId), hourEnd + options.Value.MediaLinkLifetime);
    }
}

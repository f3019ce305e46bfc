using Footage.Playback.Caching;
using Footage.Playback.Renditions;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Media;

/// <summary>
/// <c>GET /api/v1/playback/{camera_id}/m/{token}/{file}</c>: the media a playlist links, under the camera's media folder. The token
/// (<see cref="MediaTokens"/>) lets a player in without the API key for its window; a viewer's key or token does too. <c>file</c>
/// is a recorded file by its short name (<see cref="Playlists.MediaName"/>), read with Range, wherever it is now (catalogued, or
/// still at the recorder), or one transcoded chunk of it (<see cref="MediaFileName"/>).
/// </summary>
public static class FolderMediaApi
{
    public static IEndpointRouteBuilder MapFolderMediaApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/api/v1/playback/{camera_id}/m/{token}/{file}", ["GET", "HEAD"], Media)
            .RequireAuthorization(AuthenticationSetup.ViewerOrSignedLink).WithTags("Playback");
        return endpoints;
    }

    private static async Task<IResult> Media(
        string camera_id, string file, HttpRequest request, MediaFiles files, IPlaybackCache cache, TranscodedRendition transcoder,
        IOptions<PlaybackOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var cameraId = RouteValues.Id(camera_id, "camera_id", errors);
        if (!MediaFileName.TryParse(file, out var name))
        {
            errors.Add("file", "is a recorded file's name (as a playlist links it)");
        }

        return cameraId is { } id && errors.IsEmpty
            ? await MediaResponses.ServeAsync(id, name, request, files, cache, options.Value, transcoder, clock, allowed: null, ct)
            : TypedResults.ValidationProblem(errors.ToDictionary());
    }
}

using System.Globalization;
using Footage.Playback.Playlists;
using Footage.ServiceDefaults.Audit;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Access;

/// <summary>
/// Who watched what: after a playlist or download endpoint has decided to serve footage (its result is not a problem), records
/// the caller, the camera and the range in the audit log before the result runs. Playlists are viewings (a live player's
/// refreshes join one entry, see <see cref="AccessLog"/>); downloads are one entry each. Media chunks are not recorded:
/// they are parts of a playlist already recorded.
/// </summary>
public sealed class PlaybackAccessFilter(string access) : IEndpointFilter
{
    public static readonly PlaybackAccessFilter Playlist = new(FootageAccess.Playback);
    public static readonly PlaybackAccessFilter Download = new(FootageAccess.Download);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is IStatusCodeHttpResult { StatusCode: >= 400 })
        {
            return result;
        }

        var http = context.HttpContext;
        var services = http.RequestServices;
        var query = http.Request.Query;
        var camera = http.Request.RouteValues["camera_id"] as string ?? query["camera_id"].ToString();
        var live = access == FootageAccess.Playback ? services.GetRequiredService<TimeProvider>().GetUtcNow() : (DateTimeOffset?)null;
        // the live edge (neither from nor to) is a viewing of the live window
        var from = live is { } now && string.IsNullOrEmpty(query["from"]) && string.IsNullOrEmpty(query["to"])
            ? (now - services.GetRequiredService<IOptions<PlaybackOptions>>().Value.LiveWindow).ToString("O", CultureInfo.InvariantCulture)
            : query["from"].ToString();
        if (PlaybackRange.Parse(camera, from, query["to"], TimeSpan.MaxValue, new ValidationErrors(), live) is not { } range)
        {
            return result; // the endpoint served something this filter cannot name; nothing to add
        }

        var log = services.GetRequiredService<AccessLog>();
        if (access == FootageAccess.Playback)
        {
            await log.RecordViewingAsync(http, FootageAccess.Playback, range.CameraId, range.From, range.To, http.RequestAborted);
        }
        else
        {
            await log.RecordAsync(http, access, [range.CameraId], range.From, range.To, http.RequestAborted);
        }

        return result;
    }
}

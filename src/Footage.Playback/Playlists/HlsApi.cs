using System.Globalization;
using Footage.Playback.Live;
using Footage.Playback.Renditions;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Playlists;

/// <summary>
/// <c>GET /api/v1/playback/{camera_id}/hls?from=&amp;to=</c>: an HLS media playlist of any range, cut from the stored segments at
/// their key frames and served as byte ranges of the stored objects; without <c>to</c>, the live edge (a sliding window that
/// only ever appends, with low-latency partial segments and blocking reloads). Media links are relative, under the camera's
/// signed media folder, so a player needs the API key for the playlist only.
/// </summary>
public static class HlsApi
{
    public const string ContentType = "application/vnd.apple.mpegurl";

    public static IEndpointRouteBuilder MapHlsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/playback/{camera_id}/hls", Playlist).RequireAuthorization(Roles.Viewer).WithTags("Playback")
            .AddEndpointFilter(Access.PlaybackAccessFilter.Playlist);
        return endpoints;
    }

    /// <summary>What a playlist request asks for, validated: the range, the chunk length, the rendition, a blocking reload.</summary>
    public sealed record Request(PlaybackRange Range, TimeSpan Target, string? Rendition, LiveWait? Wait);

    public static Request? Parse(
        string cameraId, string? from, string? to, string? hlsTime, string? rendition, HttpRequest http, PlaybackOptions settings, TranscodedRendition transcoder,
        DateTimeOffset now, ValidationErrors errors)
    {
        // neither from nor to: the live edge over the live window
        var liveWindowFrom = string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to)
            ? (now - settings.LiveWindow).ToString("O", CultureInfo.InvariantCulture)
            : from;
        var range = PlaybackRange.Parse(cameraId, liveWindowFrom, to, settings.MaxRange, errors, now);
        var target = QueryValues.Int(hlsTime, "hls_time", range is { Live: true } || liveWindowFrom != from ? settings.LiveHlsTimeSeconds : settings.HlsTimeSeconds, 1, 60, errors);
        // every range playlist stays under a known size: the range at this hls_time must fit in MaxPlaylistChunks chunks
        if (range is { Live: false } sized && errors.IsEmpty && (sized.To - sized.From).TotalSeconds / target > settings.MaxPlaylistChunks)
        {
            var needed = (int)Math.Ceiling((sized.To - sized.From).TotalSeconds / settings.MaxPlaylistChunks);
            errors.Add("hls_time", needed <= 60
                ? $"a range of {(sized.To - sized.From).TotalHours:0.##} hours needs hls_time {needed} or more: a playlist lists at most {settings.MaxPlaylistChunks} chunks"
                : $"a playlist lists at most {settings.MaxPlaylistChunks} chunks of at most 60 s: ask for {settings.MaxPlaylistChunks * 60 / 3600} hours or less");
        }

        if (rendition is not null && rendition is not TranscodedRendition.Low and not TranscodedRendition.H264)
        {
            errors.Add("rendition", $"is '{TranscodedRendition.Low}', '{TranscodedRendition.H264}' or left out (the original)");
        }
        else if (rendition is not null && !transcoder.IsOffered(rendition))
        {
            errors.Add("rendition", rendition == TranscodedRendition.Low
                ? "the low rendition is switched off (Footage:Playback:Abr:Enabled)"
                : "the H.264 rendition is switched off (Footage:Playback:Transcode:Enabled)");
        }

        LiveWait? wait = null;
        var msn = http.Query["_HLS_msn"].ToString();
        var part = http.Query["_HLS_part"].ToString();
        if (msn.Length > 0 || part.Length > 0)
        {
            if (!long.TryParse(msn, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                errors.Add("_HLS_msn", "is a media sequence number (and is required with _HLS_part)");
            }
            else if (part.Length > 0 && !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                errors.Add("_HLS_part", "is a partial segment's index");
            }
            else if (range is { Live: false })
            {
                errors.Add("_HLS_msn", "a blocking reload is for the live edge (no 'to')");
            }
            else
            {
                wait = new LiveWait(sequence, part.Length > 0 ? int.Parse(part, CultureInfo.InvariantCulture) : null);
            }
        }

        return range is { } r && errors.IsEmpty ? new Request(r, TimeSpan.FromSeconds(target), rendition, wait) : null;
    }

    /// <summary>The playlist a request asks for (in a shared link's folder when <paramref name="inFolder"/>), or the problem.</summary>
    public static async Task<IResult> AnswerAsync(Request request, bool inFolder, HlsPlaylists playlists, HttpContext http, CancellationToken ct, string? comment = null)
    {
        var r = request.Range;
        if (r.Live)
        {
            var text = await playlists.LiveAsync(r.CameraId, r.From, request.Target, request.Rendition, request.Wait, inFolder, ct, comment);
            return text is null
                ? TypedResults.Problem(statusCode: 404, title: "No footage", detail: $"Camera {r.CameraId} has no recorded footage since {r.From:O}.")
                : Serve(http, text, cacheable: false);
        }

        var built = await playlists.RangeAsync(r, request.Target, request.Rendition, inFolder, ct, comment);
        return built switch
        {
            null => TypedResults.Problem(statusCode: 404, title: "No footage", detail: $"Camera {r.CameraId} has no recorded footage between {r.From:O} and {r.To:O}."),
            { Text: null } => TooManyPieces(built.Chunks, playlists.MaxChunks),
            _ => Serve(http, built.Text, cacheable: built.Final),
        };
    }

    private static async Task<IResult> Playlist(
        string camera_id, string? from, string? to, string? hls_time, string? rendition, HttpContext http, HlsPlaylists playlists,
        TranscodedRendition transcoder, IOptions<PlaybackOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var request = Parse(camera_id, from, to, hls_time, rendition, http.Request, options.Value, transcoder, clock.GetUtcNow(), errors);
        return request is null ? TypedResults.ValidationProblem(errors.ToDictionary()) : await AnswerAsync(request, inFolder: false, playlists, http, ct);
    }

    /// <summary>Footage cut into more pieces than a playlist may list (many short files or gaps): a shorter range is needed.</summary>
    private static ValidationProblem TooManyPieces(int chunks, int max) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["to"] = [$"the footage of this range is in {chunks} chunks (short files or gaps), more than the {max} a playlist may list: ask for a shorter range"],
        });

    private static FileContentHttpResult Serve(HttpContext http, byte[] playlist, bool cacheable)
    {
        http.Response.Headers.CacheControl = cacheable ? "private, max-age=60" : "no-cache";
        return TypedResults.Bytes(playlist, ContentType);
    }
}

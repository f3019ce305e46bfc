using System.Xml;
using Footage.Core.Cameras;
using Footage.Core.Segments;
using Footage.Playback.Caching;
using Footage.Playback.Media;
using Footage.Playback.Playlists;
using Footage.Playback.Renditions;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Links;

/// <summary>
/// Playlist links any player can open without headers (VLC, Safari, ffmpeg, GStreamer): a viewer makes one for a camera's range or
/// live edge with a lifetime; its URL holds a token that signs the link's own folder, so its playlist links its media as bare file
/// names. Each use is audited under the name of whoever made it; the maker or an admin can revoke it.
/// </summary>
public static class PlaybackLinksApi
{
    public const string PlaylistFile = "index.m3u8";

    public static IEndpointRouteBuilder MapPlaybackLinksApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/playback/{camera_id}/links", Create).RequireAuthorization(Roles.Viewer).WithTags("Playback");
        endpoints.MapGet("/api/v1/playback/links", List).RequireAuthorization(Roles.Viewer).WithTags("Playback");
        endpoints.MapDelete("/api/v1/playback/links/{link_id}", Revoke).RequireAuthorization(Roles.Viewer).WithTags("Playback");
        endpoints.MapGet($"/api/v1/playback/links/{{link_id}}/{{token}}/{PlaylistFile}", Playlist)
            .RequireAuthorization(AuthenticationSetup.ViewerOrSignedLink).WithTags("Playback");
        endpoints.MapMethods("/api/v1/playback/links/{link_id}/{token}/{file}", ["GET", "HEAD"], Media)
            .RequireAuthorization(AuthenticationSetup.ViewerOrSignedLink).WithTags("Playback");
        return endpoints;
    }

    private static async Task<IResult> Create(
        string camera_id, CreateLinkRequest? body, HttpContext http, ICameraDirectory cameras, ISegmentCatalog catalog, PlaybackLinkRepository links, LinkSigner signer,
        IOptions<PlaybackOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var settings = options.Value;
        var errors = new ValidationErrors();
        var cameraId = RouteValues.Id(camera_id, "camera_id", errors);
        var now = clock.GetUtcNow();
        var live = string.IsNullOrEmpty(body?.To);
        var range = live && string.IsNullOrEmpty(body?.From)
            ? null
            : PlaybackRange.Parse(camera_id, body?.From, body?.To, settings.MaxRange, errors, live ? now : null);
        var lifetime = settings.MediaLinkLifetime;
        if (!string.IsNullOrEmpty(body?.Lifetime))
        {
            try
            {
                lifetime = XmlConvert.ToTimeSpan(body.Lifetime);
            }
            catch (FormatException)
            {
                errors.Add("lifetime", "is an ISO 8601 duration, for example PT4H or P1D");
            }
        }

        if (lifetime < TimeSpan.FromMinutes(1) || lifetime > settings.MaxLinkLifetime)
        {
            errors.Add("lifetime", $"must be from a minute to {settings.MaxLinkLifetime.TotalDays:0.##} days");
        }

        if (cameraId is not { } id || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // a camera of the directory, or one whose footage the catalog holds (an imported or a removed camera)
        if (await cameras.GetAsync(id, ct) is null && (await catalog.ListAsync(new SegmentQuery(id, null, null, null, 1), ct)).Items.Count == 0)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no camera {id}.");
        }

        var link = new PlaybackLink(Guid.NewGuid(), id, range?.From, live ? null : range?.To, http.User.ActorName(), now,
            DateTimeOffset.FromUnixTimeSeconds((now + lifetime).ToUnixTimeSeconds()), null);
        await links.CreateAsync(link, ct);
        var path = PathOf(link, signer);
        var url = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{path}";
        return TypedResults.Created($"/api/v1/playback/links/{link.Id:D}", PlaybackLinkResponse.Of(link, url));
    }

    private static async Task<IResult> List(string? camera_id, string? limit, HttpContext http, CameraAccess access, PlaybackLinkRepository links, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var camera = string.IsNullOrEmpty(camera_id) ? null : QueryValues.Id(camera_id, "camera_id", errors);
        var max = QueryValues.Int(limit, "limit", 100, 1, 1000, errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // an admin sees everyone's links, anyone else their own
        var mine = http.User.IsInRole(Roles.Admin) ? null : http.User.ActorName();
        var scope = await access.ScopeAsync(http);
        var found = await links.ListAsync(mine, camera, max, ct);
        return TypedResults.Ok(new { links = found.Where(l => scope.Allows(l.CameraId)).Select(l => PlaybackLinkResponse.Of(l)).ToArray() });
    }

    private static async Task<IResult> Revoke(string link_id, HttpContext http, PlaybackLinkRepository links, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(link_id, "link_id", errors) is not { } id)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var link = await links.GetAsync(id, ct);
        if (link is null || (link.CreatedBy != http.User.ActorName() && !http.User.IsInRole(Roles.Admin)))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"You have no link {id}.");
        }

        await links.RevokeAsync(id, clock.GetUtcNow(), ct);
        return TypedResults.Ok(PlaybackLinkResponse.Of((await links.GetAsync(id, ct))!));
    }

    private static async Task<IResult> Playlist(
        string link_id, HttpContext http, PlaybackLinkRepository links, HlsPlaylists playlists, LinkAccessAudit audit, TranscodedRendition transcoder,
        IOptions<PlaybackOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var (link, problem) = await UsableAsync(link_id, links, clock, ct);
        if (link is null)
        {
            return problem!;
        }

        var errors = new ValidationErrors();
        var now = clock.GetUtcNow();
        var from = link.Live ? (link.From is { } start && start > now - options.Value.LiveWindow ? start : now - options.Value.LiveWindow) : link.From!.Value;
        // a long range gets longer chunks, so that its playlist stays within the size a playlist may have
        var hlsTime = link.To is { } to && (to - from).TotalSeconds / options.Value.HlsTimeSeconds > options.Value.MaxPlaylistChunks
            ? ((int)Math.Ceiling((to - from).TotalSeconds / options.Value.MaxPlaylistChunks)).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : null;
        var request = HlsApi.Parse(link.CameraId.ToString("D"), from.ToString("O"), link.To?.ToString("O"), hlsTime, null, http.Request, options.Value,
            transcoder, now, errors);
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var comment = $"Shared by {link.CreatedBy} on {link.CreatedAt:yyyy-MM-dd HH:mm} UTC, valid until {link.ExpiresAt:yyyy-MM-dd HH:mm} UTC";
        var result = await HlsApi.AnswerAsync(request, inFolder: true, playlists, http, ct, comment);
        if (result is not Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult)
        {
            await audit.RecordAsync(link, http, ct);
        }

        return result;
    }

    private static async Task<IResult> Media(
        string link_id, string file, HttpRequest request, PlaybackLinkRepository links, MediaFiles files, IPlaybackCache cache, TranscodedRendition transcoder,
        IOptions<PlaybackOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var (link, problem) = await UsableAsync(link_id, links, clock, ct);
        if (link is null)
        {
            return problem!;
        }

        if (!MediaFileName.TryParse(file, out var name))
        {
            return TypedResults.ValidationProblem(new ValidationErrors().Add("file", "is a recorded file's name (as the link's playlist lists it)").ToDictionary());
        }

        // only footage of the link's range (or, for the live edge, since it was made less the live window)
        var from = link.From ?? link.CreatedAt - options.Value.LiveWindow;
        var to = link.To ?? DateTimeOffset.MaxValue;
        return await MediaResponses.ServeAsync(link.CameraId, name, request, files, cache, options.Value, transcoder, clock,
            found => found switch
            {
                MediaFiles.Stored s => s.Segment.EndTime > from && s.Segment.StartTime < to,
                MediaFiles.Spooled s => s.File.EndTime > from && s.File.StartTime < to,
                _ => false,
            },
            ct);
    }

    /// <summary>The link, unless it does not exist (404) or is over (410: revoked or expired).</summary>
    private static async Task<(PlaybackLink? Link, IResult? Problem)> UsableAsync(string linkId, PlaybackLinkRepository links, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(linkId, "link_id", errors) is not { } id)
        {
            return (null, TypedResults.ValidationProblem(errors.ToDictionary()));
        }

        var link = await links.GetAsync(id, ct);
        if (link is null)
        {
            return (null, TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no link {id}."));
        }

        if (link.RevokedAt is not null || link.ExpiresAt < clock.GetUtcNow())
        {
            return (null, TypedResults.Problem(statusCode: 410, title: "Gone", detail: link.RevokedAt is not null ? "This link was revoked." : "This link has expired."));
        }

        return (link, null);
    }

    public static string PathOf(PlaybackLink link, LinkSigner signer) => $"{link.Folder}{signer.SignFolder(link.Folder, link.ExpiresAt)}/{PlaylistFile}";
}

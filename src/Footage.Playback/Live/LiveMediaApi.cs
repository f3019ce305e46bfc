using System.Globalization;
using Footage.Core.Live;
using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Playback.Caching;
using Footage.Playback.Media;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Http;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Live;

/// <summary>
/// <c>GET /api/v1/playback/{camera_id}/live/{file}?start=</c>: bytes of a file the recorder has not catalogued yet, with Range,
/// up to its last whole group of pictures. Once the file has been uploaded and catalogued, the same link serves the stored
/// object that starts at <c>start</c> (the same bytes), so a player holding an older live playlist keeps playing.
/// </summary>
public static class LiveMediaApi
{
    public static IEndpointRouteBuilder MapLiveMediaApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/api/v1/playback/{camera_id}/live/{file}", ["GET", "HEAD"], Media)
            .RequireAuthorization(AuthenticationSetup.ViewerOrSignedLink).WithTags("Playback");
        return endpoints;
    }

    /// <summary>
    /// The link's <c>start</c> is the file's start in whole seconds: the recorder may still tighten a run's first times by a
    /// few milliseconds, and the link should stay the same on every refresh.
    /// </summary>
    public static string PathOf(Guid cameraId, string file, DateTimeOffset start) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/v1/playback/{cameraId:D}/live/{Uri.EscapeDataString(file)}?start={start.ToUnixTimeSeconds()}");

    private static async Task<IResult> Media(
        string camera_id, string file, string? start, HttpContext http, ILiveSegmentSource live, ISegmentCatalog catalog, IStorageBackendRegistry backends,
        IPlaybackCache cache, IOptions<PlaybackOptions> options, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var cameraId = RouteValues.Id(camera_id, "camera_id", errors);
        if (!long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out var startSeconds))
        {
            errors.Add("start", "is required: the file's start in Unix seconds");
        }

        if (cameraId is not { } id || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var spooled = (await live.ListAsync(id, ct)).FirstOrDefault(s => s.File == file);
        var stored = () => StoredAsync(id, file, startSeconds, catalog, backends, cache, options.Value, ct);
        return spooled is not null ? new LiveChunkResult(id, spooled, live, stored) : await stored();
    }

    /// <summary>Uploaded since the playlist was built: the catalogued segment that starts where the file started.</summary>
    private static async Task<IResult> StoredAsync(
        Guid id, string file, long startSeconds, ISegmentCatalog catalog, IStorageBackendRegistry backends, IPlaybackCache cache, PlaybackOptions options,
        CancellationToken ct)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(Math.Min(startSeconds, 253402300799));
        var page = await catalog.ListAsync(new SegmentQuery(id, at.AddSeconds(-1), at.AddSeconds(2), null, 10, false), ct);
        var stored = page.Items.Where(s => s.StartTime >= at.AddSeconds(-1) && s.StartTime < at.AddSeconds(2))
            .MinBy(s => Math.Abs((s.StartTime - at.AddSeconds(0.5)).TotalMilliseconds));
        if (stored is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Camera {id} has no live file '{file}' any more.");
        }

        return backends.TryGet(stored.StorageBackend, out var backend)
            ? new ChunkResult(stored, backend, cache, options)
            : TypedResults.Problem(statusCode: 503, title: "Backend unavailable", detail: $"Backend '{stored.StorageBackend}' is not enabled on this host.");
    }

    /// <summary>
    /// A byte range of a recorder file, resolved against the part of it that is offered (whole groups of pictures). The file
    /// may be uploaded and taken out of the spool between the listing and the read: then the stored object is served.
    /// </summary>
    private sealed class LiveChunkResult(Guid cameraId, LiveSegment segment, ILiveSegmentSource live, Func<Task<IResult>> stored) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var ct = httpContext.RequestAborted;
            var response = httpContext.Response;
            var length = segment.SizeBytes;
            var kind = RangeRequest.Resolve(httpContext.Request.Headers.Range.ToString(), length, out var range);
            if (kind == RangeRequest.Kind.Unsatisfiable || length == 0)
            {
                response.Headers.AcceptRanges = "bytes";
                response.Headers.CacheControl = "no-store";
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{length}";
                return;
            }

            var wanted = kind == RangeRequest.Kind.Partial ? range : new ByteRange(0, length - 1);
            await using var read = await live.OpenReadAsync(cameraId, segment.File, wanted, ct);
            if (read is null)
            {
                await (await stored()).ExecuteAsync(httpContext);
                return;
            }

            response.Headers.AcceptRanges = "bytes";
            response.Headers.CacheControl = "no-store";
            response.ContentType = "video/mp2t";

            if (kind == RangeRequest.Kind.Partial)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {wanted.From}-{wanted.To}/{length}";
            }

            response.ContentLength = wanted.Length;
            if (HttpMethods.IsHead(httpContext.Request.Method))
            {
                return;
            }

            await read.CopyToAsync(response.Body, 81920, ct);
            PlaybackMetrics.MediaBytes.WithLabels("recorder").Inc(wanted.Length);
        }
    }
}

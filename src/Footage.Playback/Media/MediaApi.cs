using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Playback.Caching;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Playback.Media;

/// <summary>
/// <c>GET /api/v1/playback/{camera_id}/media/{segment_id}</c>: a stored segment's bytes as <c>video/mp2t</c>
/// with Range, straight from the backend (a file range or an S3 ranged GET) or the chunk cache. The
/// segment is looked up in the catalog on every request, so nothing is served once retention deleted it.
/// </summary>
public static class MediaApi
{
    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/api/v1/playback/{camera_id}/media/{segment_id}.ts", ["GET", "HEAD"], Media)
            .RequireAuthorization(AuthenticationSetup.ViewerOrSignedLink).WithTags("Playback");
        return endpoints;
    }

    private static async Task<IResult> Media(
        string camera_id, string segment_id, ISegmentCatalog catalog, IStorageBackendRegistry backends, IPlaybackCache cache,
        IOptions<PlaybackOptions> options, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var cameraId = RouteValues.Id(camera_id, "camera_id", errors);
        var segmentId = RouteValues.Id(segment_id, "segment_id", errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segment = await catalog.GetAsync(segmentId!.Value, ct);
        if (segment is null || segment.CameraId != cameraId)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Camera {cameraId} has no segment {segmentId}.");
        }

        if (!backends.TryGet(segment.StorageBackend, out var backend))
        {
            return TypedResults.Problem(statusCode: 503, title: "Backend unavailable", detail: $"Backend '{segment.StorageBackend}' is not enabled on this host.");
        }

        return new ChunkResult(segment, backend, cache, options.Value);
    }
}

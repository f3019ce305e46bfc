using Footage.Core.Storage;
using Footage.Core.Timeline;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Http;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Footage.Playback.Timeline;

/// <summary><c>GET /api/v1/playback/{camera_id}/thumbnails/{id}</c>: a stored still (JPEG), for timeline hover.</summary>
public static class ThumbnailsApi
{
    public static IEndpointRouteBuilder MapThumbnailsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/playback/{camera_id}/thumbnails/{id}", Thumbnail)
            .RequireAuthorization(AuthenticationSetup.ViewerOrSignedLink).WithTags("Playback");
        return endpoints;
    }

    private static async Task<IResult> Thumbnail(string camera_id, string id, IThumbnailIndex index, IStorageBackendRegistry backends, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var cameraId = RouteValues.Id(camera_id, "camera_id", errors);
        var thumbnailId = RouteValues.Id(id, "id", errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var thumbnail = await index.GetAsync(thumbnailId!.Value, ct);
        if (thumbnail is null || thumbnail.CameraId != cameraId || !backends.TryGet(thumbnail.StorageBackend, out var backend))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Camera {cameraId} has no thumbnail {thumbnailId}.");
        }

        return new StoredObjectResult(backend, StorageBuckets.Thumbnails, thumbnail.StoragePath, "image/jpeg", cacheControl: "private, max-age=86400");
    }
}

using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.Core.Timeline;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Http;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Footage.Recording.Thumbnails;

/// <summary><c>/api/v1/recording/thumbnails/{camera_id}</c>: a camera's thumbnails by time, and the JPEG at an instant.</summary>
public static class ThumbnailsApi
{
    public static IEndpointRouteBuilder MapThumbnailsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/recording/thumbnails").WithTags("Recording");
        group.MapGet("/{camera_id}", List).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{camera_id}/image", Image).RequireAuthorization(Roles.Viewer);
        return endpoints;
    }

    private static async Task<Results<Ok<Thumbnail[]>, ValidationProblem>> List(
        string camera_id, string? from, string? to, string? limit, IThumbnailIndex thumbnails, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var cameraId = RouteValues.Id(camera_id, "camera_id", errors);
        var fromTime = QueryValues.Instant(from, "from", errors);
        var toTime = QueryValues.Instant(to, "to", errors);
        var max = QueryValues.Int(limit, "limit", 100, 1, 1000, errors);
        if (fromTime is { } f && toTime is { } t && t <= f)
        {
            errors.Add("to", "must be after 'from'");
        }

        if (!errors.IsEmpty || cameraId is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var range = new TimeRange(fromTime ?? DateTimeOffset.UnixEpoch, toTime ?? new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return TypedResults.Ok((await thumbnails.ListAsync(cameraId.Value, range, max, ct)).ToArray());
    }

    private static async Task<IResult> Image(string camera_id, string? at, IThumbnailIndex thumbnails, IStorageBackendRegistry backends, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var cameraId = RouteValues.Id(camera_id, "camera_id", errors);
        var instant = QueryValues.Instant(at, "at", errors);
        if (instant is null && !!errors.IsEmpty)
        {
            errors.Add("at", "is required");
        }

        if (!errors.IsEmpty || cameraId is null || instant is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var thumbnail = await thumbnails.AtAsync(cameraId.Value, instant.Value, ct);
        if (thumbnail is null || !backends.TryGet(thumbnail.StorageBackend, out var backend))
        {
            return TypedResults.Problem(new ProblemDetails { Status = 404, Title = "No thumbnail", Detail = $"Camera {cameraId} has no thumbnail at or before {at}." });
        }

        return new StoredObjectResult(backend, StorageBuckets.Thumbnails, thumbnail.StoragePath, "image/jpeg", cacheControl: "private, max-age=3600");
    }
}

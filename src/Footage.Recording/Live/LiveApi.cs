using Footage.Core.Live;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Footage.Recording.Live;

/// <summary>
/// The live edge of this recorder for a Playback service elsewhere: <c>GET /api/v1/recording/{camera_id}/live</c> lists the
/// camera's uncatalogued files (closed ones waiting for upload and the one being written, with their key-frame indexes so far),
/// <c>GET /api/v1/recording/{camera_id}/live/{file}</c> reads one of them, with Range.
/// </summary>
public static class LiveApi
{
    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/recording/{camera_id}/live", List).RequireAuthorization(Roles.Viewer).WithTags("Recording");
        endpoints.MapGet("/api/v1/recording/{camera_id}/live/{file}", Read).RequireAuthorization(Roles.Viewer).WithTags("Recording");
        return endpoints;
    }

    private static async Task<IResult> List(string camera_id, SpoolLiveSegments live, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(camera_id, "camera_id", errors) is not { } id)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segments = await live.ListAsync(id, ct);
        return TypedResults.Ok(new LiveFootageResponse(id, segments.Select(LiveSegmentResponse.From).ToArray()));
    }

    private static IResult Read(string camera_id, string file, HttpContext http, SpoolLiveSegments live)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(camera_id, "camera_id", errors) is not { } id)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

#pragma warning disable CA2000 // the stream result disposes the file once it is sent
        var stream = live.OpenFile(id, file);
#pragma warning restore CA2000
        if (stream is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Camera {id} has no spool file '{file}' (it may have been uploaded).");
        }

        // the length is the file's as it is now; ranges are resolved against it
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(stream, "video/mp2t", enableRangeProcessing: true);
    }
}

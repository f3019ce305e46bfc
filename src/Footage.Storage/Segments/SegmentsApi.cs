using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Audit;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Errors;
using Footage.ServiceDefaults.Http;
using Footage.ServiceDefaults.Validation;
using Footage.Storage.Retention;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Footage.Storage.Segments;

/// <summary><c>/api/v1/storage/segments</c>: register, list, get, read and delete recorded segments.</summary>
public static class SegmentsApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapSegmentsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/storage/segments").WithTags("Segments");
        group.MapPost("/", Register).RequireAuthorization(Roles.Operator);
        group.MapGet("/{camera_id}", List).RequireAuthorization(Roles.Viewer);
        group.MapGet("/by-id/{id}", Get).RequireAuthorization(Roles.Viewer);
        group.MapGet("/by-id/{id}/content", Content).RequireAuthorization(Roles.Viewer);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Roles.Operator);
        return endpoints;
    }

    private static async Task<Results<Created<SegmentResponse>, Ok<SegmentResponse>, ProblemHttpResult, ValidationProblem>> Register(
        RegisterSegmentRequest? request, HttpContext http, CameraAccess cameras, SegmentRepository catalog, IStorageBackendRegistry backends, SegmentHolds holds,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var segment = SegmentValidator.Validate(request, backends, clock.GetUtcNow(), errors);
        if (segment is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!(await cameras.ScopeAsync(http)).Allows(segment.CameraId))
        {
            return TypedResults.Problem(CameraNotFound(segment.CameraId));
        }

        // the same segment again (a retried registration) is answered from the catalog, even once a hold moved its object
        if (await catalog.FindAsync(segment.CameraId, segment.StartTime, ct) is { } existing)
        {
            return SegmentIdentity.Matches(existing, segment)
                ? TypedResults.Ok(SegmentResponse.From(existing, await holds.SnapshotAsync(ct)))
                : TypedResults.Problem(Conflict(segment, existing));
        }

        // Registration is the commit point of a recording: never catalog an object that is not there.
        var stored = await backends.Get(segment.StorageBackend).StatAsync(StorageBuckets.Recordings, segment.StoragePath, ct);
        if (stored is null || stored.Size != segment.SizeBytes)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 422,
                Title = "Object not stored",
                Detail = stored is null
                    ? $"No object '{segment.StoragePath}' in {StorageBuckets.Recordings} on backend '{segment.StorageBackend}': upload it before registering."
                    : $"Object '{segment.StoragePath}' has {stored.Size} bytes, not the {segment.SizeBytes} registered.",
                Extensions = { ["errors"] = new Dictionary<string, string[]> { ["storage_path"] = ["no object of size_bytes is stored under this key"] } },
            });
        }

        var result = await catalog.RegisterAsync(segment, ct);
        var snapshot = await holds.SnapshotAsync(ct);
        var body = SegmentResponse.From(result.Segment, snapshot);
        return result.Outcome switch
        {
            SegmentRegistrationOutcome.Created => TypedResults.Created($"/api/v1/storage/segments/by-id/{body.Id}", body),
            SegmentRegistrationOutcome.AlreadyRegistered => TypedResults.Ok(body),
            _ => TypedResults.Problem(Conflict(segment, result.Segment)),
        };
    }

    private static ProblemDetails Conflict(NewSegment segment, Segment existing) => new()
    {
        Status = 409,
        Title = "Conflicting segment",
        Detail = existing.CameraId == segment.CameraId && existing.StartTime == segment.StartTime
            ? $"Camera {segment.CameraId} already has segment {existing.Id} starting at {Instants.ToIso(existing.StartTime)} with different end time, size, checksum or location."
            : $"Object '{segment.StoragePath}' is already segment {existing.Id} of camera {existing.CameraId}; one stored object is one segment.",
        Extensions = { ["existing_segment_id"] = existing.Id },
    };

    private static async Task<Results<Ok<SegmentPageResponse>, ValidationProblem>> List(
        string camera_id, string? from, string? to, string? cursor, string? limit, string? include,
        SegmentRepository catalog, SegmentHolds holds, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var cameraId = RouteValues.Id(camera_id, "camera_id", errors);
        var fromTime = QueryValues.Instant(from, "from", errors);
        var toTime = QueryValues.Instant(to, "to", errors);
        var pageSize = QueryValues.Int(limit, "limit", DefaultPageSize, 1, MaxPageSize, errors);
        if (fromTime is not null && toTime is not null && toTime <= fromTime)
        {
            errors.Add("to", "must be after from");
        }

        if (cursor is not null && !SegmentCursor.TryDecode(cursor, out _, out _))
        {
            errors.Add("cursor", "is not a cursor returned by this API");
        }

        if (include is not null && include != "keyframes")
        {
            errors.Add("include", "the only value is 'keyframes'");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await catalog.ListAsync(new SegmentQuery(cameraId!.Value, fromTime, toTime, cursor, pageSize, include == "keyframes"), ct);
        var snapshot = await holds.SnapshotAsync(ct);
        return TypedResults.Ok(new SegmentPageResponse(page.Items.Select(s => SegmentResponse.From(s, snapshot)).ToArray(), page.NextCursor));
    }

    private static async Task<Results<Ok<SegmentResponse>, ProblemHttpResult, ValidationProblem>> Get(
        string id, HttpContext http, CameraAccess cameras, SegmentRepository catalog, SegmentHolds holds, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } segmentId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segment = await catalog.GetAsync(segmentId, ct);
        if (segment is null || !(await cameras.ScopeAsync(http)).Allows(segment.CameraId))
        {
            return TypedResults.Problem(NotFound(segmentId));
        }

        return TypedResults.Ok(SegmentResponse.From(segment, await holds.SnapshotAsync(ct)));
    }

    private static async Task<IResult> Content(
        string id, HttpContext http, CameraAccess cameras, SegmentRepository catalog, IStorageBackendRegistry backends, AccessLog access, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } segmentId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segment = await catalog.GetAsync(segmentId, ct);
        if (segment is null || !(await cameras.ScopeAsync(http)).Allows(segment.CameraId))
        {
            return TypedResults.Problem(NotFound(segmentId));
        }

        if (!backends.TryGet(segment.StorageBackend, out var backend))
        {
            throw ProblemException.Unavailable($"Backend '{segment.StorageBackend}' of segment {segmentId} is not enabled on this host.");
        }

        // a reader fetching a segment by byte ranges, or the segments of a range one after the other, is one viewing
        await access.RecordViewingAsync(http, FootageAccess.SegmentDownload, segment.CameraId, segment.StartTime, segment.EndTime, ct);
        return new StoredObjectResult(backend, segment.StorageBucket, segment.StoragePath, "video/mp2t",
            downloadName: $"{segment.CameraId}-{segment.StartTime.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.ts", cacheControl: "private, max-age=3600");
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Delete(
        string id, HttpContext http, CameraAccess cameras, SegmentRepository catalog, DeletionQueue queue, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } segmentId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await catalog.GetAsync(segmentId, ct) is { } target && !(await cameras.ScopeAsync(http)).Allows(target.CameraId))
        {
            return TypedResults.Problem(NotFound(segmentId));
        }

        // one statement checks the holds record and deletes, so a hold placed a moment before always wins
        var deletion = await catalog.DeleteAsync(segmentId, "api", ct);
        if (deletion.IsHeld)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 409, Title = "Segment under evidence hold", Detail = $"Segment {segmentId} is held ({deletion.HoldReason}) and cannot be deleted.",
            });
        }

        if (deletion.Deleted is null)
        {
            return TypedResults.Problem(NotFound(segmentId));
        }

        // The row is gone and its object queued; delete it now, and leave failures to the retried queue.
        try
        {
            await queue.DrainAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the queue keeps the entry; the background job retries it
        }

        return TypedResults.NoContent();
    }

    private static ProblemDetails CameraNotFound(Guid cameraId) =>
        new() { Status = 404, Title = "Not found", Detail = $"Camera {cameraId} was not found." };

    private static ProblemDetails NotFound(Guid id) =>
        new() { Status = 404, Title = "Not found", Detail = $"Segment '{id}' does not exist." };
}

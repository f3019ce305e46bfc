using System.Text.RegularExpressions;
using Footage.Core.Custody;
using Footage.Core.Segments;
using Footage.Core.Time;
using Footage.Metadata.Custody;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Footage.Metadata.Annotations;

/// <summary>
/// <c>/api/v1/metadata/annotations</c>: markers on the timeline. Add one to a segment at an offset; list or
/// delete those of a segment, or of a camera over a time range, in time order. Viewers read; operators write.
/// </summary>
public static partial class AnnotationsApi
{
    public const int MaxContent = 10_000;

    public sealed record CreateAnnotationRequest(string? SegmentId, int? TimestampOffset, string? Type, string? Content);

    public sealed record AnnotationResponse(
        Guid Id, Guid SegmentId, Guid CameraId, int TimestampOffset, DateTimeOffset Timestamp, string Type, string Content, string UserId, DateTimeOffset CreatedAt)
    {
        public static AnnotationResponse From(Annotation a) =>
            new(a.Id, a.SegmentId, a.CameraId, a.TimestampOffset, a.Timestamp, a.Type, a.Content, a.UserId, a.CreatedAt);
    }

    public sealed record AnnotationPage(IReadOnlyList<AnnotationResponse> Items, int Offset, int Limit, int? NextOffset);

    public sealed record DeletedAnnotations(int Deleted);

    public static IEndpointRouteBuilder MapAnnotationsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/metadata/annotations").WithTags("Annotations");
        group.MapPost("/", Create).RequireAuthorization(Roles.Operator);
        group.MapGet("/", List).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{id}", Get).RequireAuthorization(Roles.Viewer);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Roles.Operator);
        group.MapDelete("/", DeleteMany).RequireAuthorization(Roles.Operator);
        return endpoints;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,49}$")]
    private static partial Regex TypePattern();

    private static async Task<Results<Created<AnnotationResponse>, ProblemHttpResult, ValidationProblem>> Create(
        CreateAnnotationRequest? request, HttpContext http, CameraAccess access, AnnotationRepository annotations, ISegmentCatalog segments, FootageCustody custody,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors.Add("body", "a JSON object is required").ToDictionary());
        }

        Guid? segmentId = null;
        if (request.SegmentId is null)
        {
            errors.Add("segment_id", "is required: a segment UUID");
        }
        else
        {
            segmentId = RouteValues.Id(request.SegmentId, "segment_id", errors);
        }

        if (request.TimestampOffset is null or < 0)
        {
            errors.Add("timestamp_offset", "is required: milliseconds from the start of the segment, 0 or more");
        }

        var type = request.Type?.Trim().ToLowerInvariant();
        if (type is null || !TypePattern().IsMatch(type))
        {
            errors.Add("type", "is required: a lower-case word of up to 50 letters, digits or _ (note, event, bookmark, ...)");
        }

        var content = TextRules.Check(request.Content, "content", MaxContent, required: true, errors, multiline: true);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segment = await segments.GetAsync(segmentId!.Value, ct);
        if (segment is null || !(await access.ScopeAsync(http)).Allows(segment.CameraId))
        {
            return TypedResults.Problem(Tags.TagsApi.NotFound("Segment", segmentId.Value));
        }

        var length = (segment.EndTime - segment.StartTime).TotalMilliseconds;
        if (request.TimestampOffset > length)
        {
            return TypedResults.ValidationProblem(errors.Add("timestamp_offset", $"must be within the segment: 0 to {(long)length} ms").ToDictionary());
        }

        var actor = http.User.ActorName();
        var annotation = new Annotation(Guid.NewGuid(), segment.Id, segment.CameraId, request.TimestampOffset!.Value,
            segment.StartTime.AddMilliseconds(request.TimestampOffset.Value), type!, content!, actor, Instants.Normalize(clock.GetUtcNow()));
        await annotations.InsertAsync(annotation, ct);
        await custody.RecordAsync(new FootageEvent(CustodyActions.Annotated, actor, [segment.CameraId], new TimeRange(annotation.Timestamp, annotation.Timestamp.AddTicks(10)),
            $"annotation {annotation.Id:D} ({annotation.Type}) on segment {segment.Id:D}", new Dictionary<string, string>()), ct);
        return TypedResults.Created($"/api/v1/metadata/annotations/{annotation.Id}", AnnotationResponse.From(annotation));
    }

    private static async Task<Results<Ok<AnnotationPage>, ValidationProblem>> List(
        string? segment_id, string? camera_id, string? from, string? to, string? limit, string? offset, HttpContext http, CameraAccess access,
        AnnotationRepository annotations, ISegmentCatalog segments, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var filter = Filter(segment_id, camera_id, from, to, errors, requireRange: false);
        var count = QueryValues.Int(limit, "limit", 500, 1, 1000, errors);
        var skip = QueryValues.Int(offset, "offset", 0, 0, 1_000_000, errors);
        if (filter is null || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!await SegmentVisibleAsync(filter, http, access, segments, ct))
        {
            return TypedResults.Ok(new AnnotationPage([], skip, count, null));
        }

        var items = await annotations.ListAsync(filter, count + 1, skip, ct);
        var page = items.Take(count).Select(AnnotationResponse.From).ToArray();
        return TypedResults.Ok(new AnnotationPage(page, skip, count, items.Count > count ? skip + count : null));
    }

    private static async Task<Results<Ok<AnnotationResponse>, ProblemHttpResult, ValidationProblem>> Get(
        string id, HttpContext http, CameraAccess access, AnnotationRepository annotations, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } annotationId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return await annotations.GetAsync(annotationId, ct) is { } a && (await access.ScopeAsync(http)).Allows(a.CameraId)
            ? TypedResults.Ok(AnnotationResponse.From(a))
            : TypedResults.Problem(Tags.TagsApi.NotFound("Annotation", annotationId));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Delete(
        string id, HttpContext http, CameraAccess access, AnnotationRepository annotations, FootageCustody custody, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } annotationId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await annotations.GetAsync(annotationId, ct) is { } target && !(await access.ScopeAsync(http)).Allows(target.CameraId))
        {
            return TypedResults.Problem(Tags.TagsApi.NotFound("Annotation", annotationId));
        }

        var deleted = await annotations.DeleteAsync(annotationId, ct);
        if (deleted is null)
        {
            return TypedResults.Problem(Tags.TagsApi.NotFound("Annotation", annotationId));
        }

        await RecordDeletedAsync(custody, http.User.ActorName(), [deleted], ct);
        return TypedResults.NoContent();
    }

    /// <summary>Deletes the annotations of a segment, or of a camera over a range (both bounds required, so nothing is deleted by accident).</summary>
    private static async Task<Results<Ok<DeletedAnnotations>, ValidationProblem>> DeleteMany(
        string? segment_id, string? camera_id, string? from, string? to, HttpContext http, CameraAccess access, AnnotationRepository annotations, ISegmentCatalog segments,
        FootageCustody custody, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var filter = Filter(segment_id, camera_id, from, to, errors, requireRange: true);
        if (filter is null || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!await SegmentVisibleAsync(filter, http, access, segments, ct))
        {
            return TypedResults.Ok(new DeletedAnnotations(0));
        }

        var deleted = await annotations.DeleteAsync(filter, ct);
        await RecordDeletedAsync(custody, http.User.ActorName(), deleted, ct);
        return TypedResults.Ok(new DeletedAnnotations(deleted.Count));
    }

    /// <summary>A filter by segment keeps to a segment of a camera the caller may see (a filter by camera was checked at the door); an unknown segment has no annotations anyway.</summary>
    private static async Task<bool> SegmentVisibleAsync(AnnotationFilter filter, HttpContext http, CameraAccess access, ISegmentCatalog segments, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(http);
        return scope.IsEverything || filter.SegmentId is not { } segmentId || await segments.GetAsync(segmentId, ct) is not { } segment || scope.Allows(segment.CameraId);
    }

    private static async Task RecordDeletedAsync(FootageCustody custody, string actor, IReadOnlyList<Annotation> deleted, CancellationToken ct)
    {
        foreach (var a in deleted)
        {
            await custody.RecordAsync(new FootageEvent(CustodyActions.AnnotationDeleted, actor, [a.CameraId], new TimeRange(a.Timestamp, a.Timestamp.AddTicks(10)),
                $"annotation {a.Id:D} ({a.Type}) on segment {a.SegmentId:D}", new Dictionary<string, string>()), ct);
        }
    }

    private static AnnotationFilter? Filter(string? segmentId, string? cameraId, string? from, string? to, ValidationErrors errors, bool requireRange)
    {
        var segment = QueryValues.Id(segmentId, "segment_id", errors);
        var camera = QueryValues.Id(cameraId, "camera_id", errors);
        var fromTime = QueryValues.Instant(from, "from", errors);
        var toTime = QueryValues.Instant(to, "to", errors);
        if (!errors.IsEmpty)
        {
            return null;
        }

        if ((segment is null) == (camera is null))
        {
            errors.Add("segment_id", "give either segment_id, or camera_id with from and to");
            return null;
        }

        if (camera is not null && requireRange && (fromTime is null || toTime is null))
        {
            errors.Add(fromTime is null ? "from" : "to", "is required with camera_id");
            return null;
        }

        if (fromTime is not null && toTime is not null && toTime <= fromTime)
        {
            errors.Add("to", "must be after from");
            return null;
        }

        return new AnnotationFilter(segment, camera, fromTime, toTime);
    }
}

using System.Text.RegularExpressions;
using Footage.Core.Segments;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Footage.Metadata.Tags;

/// <summary>
/// <c>/api/v1/metadata/tags</c> (the catalog) and <c>/api/v1/metadata/segments/{id}/tags</c> (tags on footage).
/// Viewers read; operators create, rename, delete and apply tags.
/// </summary>
public static partial class TagsApi
{
    public sealed record TagRequest(string? Name, string? Category, string? Color);

    public sealed record TagSegmentRequest(string? TagId, string? TagName);

    public sealed record TagResponse(Guid Id, string Name, string? Category, string? Color, DateTimeOffset CreatedAt)
    {
        public static TagResponse From(Tag t) => new(t.Id, t.Name, t.Category, t.Color, t.CreatedAt);
    }

    public sealed record SegmentTagResponse(Guid SegmentId, Guid TagId, string Name, string? Category, string? Color, string UserId, DateTimeOffset CreatedAt)
    {
        public static SegmentTagResponse From(SegmentTag t) => new(t.SegmentId, t.Tag.Id, t.Tag.Name, t.Tag.Category, t.Tag.Color, t.UserId, t.CreatedAt);
    }

    public static IEndpointRouteBuilder MapTagsApi(this IEndpointRouteBuilder endpoints)
    {
        var tags = endpoints.MapGroup("/api/v1/metadata/tags").WithTags("Tags");
        tags.MapPost("/", Create).RequireAuthorization(Roles.Operator);
        tags.MapGet("/", List).RequireAuthorization(Roles.Viewer);
        tags.MapGet("/{id}", Get).RequireAuthorization(Roles.Viewer);
        tags.MapPatch("/{id}", Update).RequireAuthorization(Roles.Operator);
        tags.MapDelete("/{id}", Delete).RequireAuthorization(Roles.Operator);

        var segments = endpoints.MapGroup("/api/v1/metadata/segments/{id}/tags").WithTags("Tags");
        segments.MapPost("/", TagSegment).RequireAuthorization(Roles.Operator);
        segments.MapGet("/", SegmentTags).RequireAuthorization(Roles.Viewer);
        segments.MapDelete("/{tag_id}", Untag).RequireAuthorization(Roles.Operator);
        return endpoints;
    }

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex ColorPattern();

    private static async Task<Results<Created<TagResponse>, ProblemHttpResult, ValidationProblem>> Create(
        TagRequest? request, TagRepository repository, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors.Add("body", "a JSON object is required").ToDictionary());
        }

        var tag = Validate(request, Guid.NewGuid(), clock.GetUtcNow(), errors);
        if (tag is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!await repository.InsertAsync(tag, ct))
        {
            return TypedResults.Problem(DuplicateName(tag.Name));
        }

        return TypedResults.Created($"/api/v1/metadata/tags/{tag.Id}", TagResponse.From(tag));
    }

    private static async Task<Results<Ok<TagResponse[]>, ValidationProblem>> List(
        string? category, string? limit, string? offset, TagRepository repository, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var count = QueryValues.Int(limit, "limit", 100, 1, 1000, errors);
        var skip = QueryValues.Int(offset, "offset", 0, 0, 1_000_000, errors);
        var categoryFilter = TextRules.Check(category, "category", 50, required: false, errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var all = await repository.ListAsync(categoryFilter, count, skip, ct);
        return TypedResults.Ok(all.Select(TagResponse.From).ToArray());
    }

    private static async Task<Results<Ok<TagResponse>, ProblemHttpResult, ValidationProblem>> Get(string id, TagRepository repository, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } tagId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return await repository.GetAsync(tagId, ct) is { } tag ? TypedResults.Ok(TagResponse.From(tag)) : TypedResults.Problem(NotFound("Tag", tagId));
    }

    /// <summary>Rename or re-colour: the fields sent replace the stored ones; absent fields stay.</summary>
    private static async Task<Results<Ok<TagResponse>, ProblemHttpResult, ValidationProblem>> Update(
        string id, TagRequest? request, TagRepository repository, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var tagId = RouteValues.Id(id, "id", errors);
        if (request is null)
        {
            errors.Add("body", "a JSON object is required");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var existing = await repository.GetAsync(tagId!.Value, ct);
        if (existing is null)
        {
            return TypedResults.Problem(NotFound("Tag", tagId.Value));
        }

        var merged = Validate(new TagRequest(request!.Name ?? existing.Name, request.Category ?? existing.Category, request.Color ?? existing.Color),
            existing.Id, existing.CreatedAt, errors);
        if (merged is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        try
        {
            return await repository.UpdateAsync(merged, ct) is { } updated
                ? TypedResults.Ok(TagResponse.From(updated))
                : TypedResults.Problem(NotFound("Tag", tagId.Value));
        }
        catch (Exception e) when (UniqueViolation.Is(e))
        {
            return TypedResults.Problem(DuplicateName(merged.Name));
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Delete(string id, TagRepository repository, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } tagId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return await repository.DeleteAsync(tagId, ct) ? TypedResults.NoContent() : TypedResults.Problem(NotFound("Tag", tagId));
    }

    private static async Task<Results<Created<SegmentTagResponse[]>, Ok<SegmentTagResponse[]>, ProblemHttpResult, ValidationProblem>> TagSegment(
        string id, TagSegmentRequest? request, HttpContext http, CameraAccess access, TagRepository repository, ISegmentCatalog segments,
        Custody.FootageCustody custody, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var segmentId = RouteValues.Id(id, "id", errors);
        Guid? tagId = null;
        string? tagName = null;
        if (request is null)
        {
            errors.Add("body", "a JSON object is required");
        }
        else if (request.TagId is null == (request.TagName is null))
        {
            errors.Add("tag_id", "give either tag_id or tag_name");
        }
        else if (request.TagId is not null)
        {
            tagId = RouteValues.Id(request.TagId, "tag_id", errors);
        }
        else
        {
            tagName = TextRules.Check(request.TagName, "tag_name", 100, required: true, errors);
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segment = await segments.GetAsync(segmentId!.Value, ct);
        if (segment is null || !(await access.ScopeAsync(http)).Allows(segment.CameraId))
        {
            return TypedResults.Problem(NotFound("Segment", segmentId.Value));
        }

        var tag = tagId is { } byId ? await repository.GetAsync(byId, ct) : await repository.FindByNameAsync(tagName!, ct);
        if (tag is null)
        {
            return TypedResults.Problem(NotFound("Tag", (object?)tagId ?? tagName!));
        }

        var actor = http.User.ActorName();
        var added = await repository.TagSegmentAsync(segment.Id, tag.Id, actor, clock.GetUtcNow(), ct);
        if (added)
        {
            await custody.RecordSegmentActionAsync(Custody.CustodyActions.SegmentTagged, actor, segment, $"tag {tag.Name}", ct);
        }

        var current = await repository.TagsOfSegmentsAsync([segment.Id], ct);
        var body = current.TryGetValue(segment.Id, out var list) ? list.Select(SegmentTagResponse.From).ToArray() : [];
        return added
            ? TypedResults.Created($"/api/v1/metadata/segments/{segment.Id}/tags", body)
            : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<SegmentTagResponse[]>, ProblemHttpResult, ValidationProblem>> SegmentTags(
        string id, HttpContext http, CameraAccess access, TagRepository repository, ISegmentCatalog segments, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } segmentId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await segments.GetAsync(segmentId, ct) is not { } segment || !(await access.ScopeAsync(http)).Allows(segment.CameraId))
        {
            return TypedResults.Problem(NotFound("Segment", segmentId));
        }

        var current = await repository.TagsOfSegmentsAsync([segmentId], ct);
        return TypedResults.Ok(current.TryGetValue(segmentId, out var list) ? list.Select(SegmentTagResponse.From).ToArray() : []);
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Untag(
        string id, string tag_id, HttpContext http, CameraAccess access, TagRepository repository, ISegmentCatalog segments, Custody.FootageCustody custody,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var segmentId = RouteValues.Id(id, "id", errors);
        var tagId = RouteValues.Id(tag_id, "tag_id", errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var segment = await segments.GetAsync(segmentId!.Value, ct);
        if (segment is null || !(await access.ScopeAsync(http)).Allows(segment.CameraId))
        {
            return TypedResults.Problem(NotFound("Segment", segmentId.Value));
        }

        var tag = await repository.GetAsync(tagId!.Value, ct);
        if (tag is null || !await repository.UntagSegmentAsync(segment.Id, tag.Id, ct))
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 404, Title = "Not found", Detail = $"Segment '{segment.Id}' has no tag '{tagId}'.",
            });
        }

        await custody.RecordSegmentActionAsync(Custody.CustodyActions.SegmentUntagged, http.User.ActorName(), segment, $"tag {tag.Name}", ct);
        return TypedResults.NoContent();
    }

    private static Tag? Validate(TagRequest request, Guid id, DateTimeOffset createdAt, ValidationErrors errors)
    {
        var name = TextRules.Check(request.Name, "name", 100, required: true, errors);
        var category = TextRules.Check(request.Category, "category", 50, required: false, errors);
        var color = request.Color?.Trim();
        if (string.IsNullOrEmpty(color))
        {
            color = null;
        }
        else if (!ColorPattern().IsMatch(color))
        {
            errors.Add("color", "must be #RRGGBB, for example #FF8800");
        }
        else
        {
            color = color.ToUpperInvariant();
        }

        return errors.IsEmpty ? new Tag(id, name!, category, color, createdAt) : null;
    }

    private static ProblemDetails DuplicateName(string name) =>
        new() { Status = 409, Title = "Duplicate tag name", Detail = $"A tag named '{name}' already exists." };

    internal static ProblemDetails NotFound(string what, object id) =>
        new() { Status = 404, Title = "Not found", Detail = $"{what} '{id}' does not exist." };
}

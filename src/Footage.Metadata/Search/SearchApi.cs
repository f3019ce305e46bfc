using Footage.Core.Cameras;
using Footage.Core.Segments;
using Footage.Metadata.Incidents;
using Footage.Metadata.Search.Unified;
using Footage.Metadata.Tags;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Metadata.Search;

/// <summary>
/// <c>GET /api/v1/metadata/search</c>: by default one ranked search over incidents, annotations, tags and segments
/// (<c>type=all</c>), kept to the cameras the caller may see; also, as before, incidents alone by full text and filters
/// (<c>type=incidents</c>) or segments by tags, cameras and time (<c>type=segments</c>). Viewers and up.
/// </summary>
public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/metadata/search", Search).RequireAuthorization(Roles.Viewer).WithTags("Search");
        return endpoints;
    }

    private static async Task<IResult> Search(
        HttpContext http, UnifiedSearch everything, ICameraVisibility visibility, CameraAccess access, IncidentSearch incidents, SegmentSearch segments, TagRepository tags,
        ISegmentHoldLedger holdLedger, IOptions<MetadataOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var type = http.Request.Query["type"].ToString();
        if (type is "" or "all")
        {
            var all = SearchParameters.Unified(http.Request.Query, errors);
            if (all is null)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }

            all = all with { VisibleCameraIds = await visibility.VisibleCamerasAsync(http.User, ct) };
            var (hits, hasMore) = await everything.SearchAsync(all, ct);
            return TypedResults.Ok(new SearchPage<SearchHitResponse>("all", hits.Select(SearchHitResponse.From).ToArray(), all.Offset, all.Limit,
                hasMore ? all.Offset + all.Limit : null));
        }

        if (type == "incidents")
        {
            return await SearchIncidentsAsync(http.Request.Query, await access.ScopeAsync(http), incidents, options.Value, clock, ct);
        }

        if (type != "segments")
        {
            return TypedResults.ValidationProblem(errors.Add("type", "must be 'all', 'incidents' or 'segments'").ToDictionary());
        }

        var query = SearchParameters.Segments(http.Request.Query, errors);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var scope = await access.ScopeAsync(http);
        var (found, more) = await segments.SearchAsync(query, ct);
        var items = found.Where(s => scope.Allows(s.CameraId)).ToArray();
        var tagsOf = await tags.TagsOfSegmentsAsync(items.Select(s => s.Id).ToArray(), ct);
        var holds = await holdLedger.ActiveAsync(ct);

        var body = items.Select(s =>
        {
            var hold = holds.FirstOrDefault(h => h.CameraId == s.CameraId && h.Range.Overlaps(s.StartTime, s.EndTime));
            return new SegmentHitResponse(s.Id, s.CameraId, s.StartTime, s.EndTime, s.DurationSeconds, s.SizeBytes, s.Checksum, s.ThumbnailPath,
                tagsOf.TryGetValue(s.Id, out var list) ? list.Select(t => t.Tag.Name).ToArray() : [], hold is not null, hold?.Reason);
        }).ToArray();
        return TypedResults.Ok(new SearchPage<SegmentHitResponse>("segments", body, query.Offset, query.Limit, more ? query.Offset + query.Limit : null));
    }

    /// <summary>
    /// Also serves <c>GET /api/v1/metadata/incidents</c>, which is a search without text. A caller limited to camera groups
    /// gets the incidents of the page that cover one of their cameras (<see cref="IncidentVisibility"/>), so a page may hold fewer than <c>limit</c>.
    /// </summary>
    public static async Task<IResult> SearchIncidentsAsync(
        IQueryCollection parameters, CameraScope scope, IncidentSearch incidents, MetadataOptions options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var query = SearchParameters.Incidents(parameters, errors);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var (items, more) = await incidents.SearchAsync(query, ct);
        var now = clock.GetUtcNow();
        var body = items.Where(hit => IncidentVisibility.IsVisible(hit.Incident, scope)).Select(hit => new IncidentHitResponse(
            IncidentResponse.From(IncidentVisibility.Trimmed(hit.Incident, scope), options.EvidenceHoldAfterClose, now),
            hit.Rank,
            query.Text is null ? null : new HighlightResponse(Highlights.ToHtml(hit.TitleHighlight), Highlights.ToHtml(hit.DescriptionHighlight)))).ToArray();
        return TypedResults.Ok(new SearchPage<IncidentHitResponse>("incidents", body, query.Offset, query.Limit, more ? query.Offset + query.Limit : null));
    }
}

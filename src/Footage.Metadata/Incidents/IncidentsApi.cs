using System.Text.Json;
using Footage.Metadata.Custody;
using Footage.Metadata.Search;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Metadata.Incidents;

/// <summary>
/// <c>/api/v1/metadata/incidents</c>: create, read (recorded as VIEWED), update, list, and the custody log
/// with its verification. Viewers read; operators create and update. Nothing deletes an incident or a
/// custody entry.
/// </summary>
public static class IncidentsApi
{
    public sealed record CreateIncidentRequest(
        string? Title, string? Description, string? Severity, string? Status, string?[]? CameraIds, string? StartTime, string? EndTime,
        string?[]? Tags, string? AssignedTo);

    public sealed record CustodyEntryResponse(
        Guid Id, Guid IncidentId, int Sequence, string Action, string Actor, DateTimeOffset OccurredAt, JsonElement Details, string PreviousHash, string Hash)
    {
        public static CustodyEntryResponse From(CustodyEntry e) =>
            new(e.Id, e.IncidentId, e.Sequence, e.Action, e.Actor, e.OccurredAt, JsonSerializer.SerializeToElement(e.Details), e.PreviousHash, e.Hash);
    }

    public sealed record CustodyPage(Guid IncidentId, IReadOnlyList<CustodyEntryResponse> Items, int? NextAfter);

    private static readonly HashSet<string> PatchFields =
        ["title", "description", "severity", "status", "camera_ids", "start_time", "end_time", "tags", "assigned_to"];

    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/metadata/incidents").WithTags("Incidents");
        group.MapPost("/", Create).RequireAuthorization(Roles.Operator);
        group.MapGet("/", async (HttpContext http, CameraAccess access, IncidentSearch search, IOptions<MetadataOptions> options, TimeProvider clock, CancellationToken ct) =>
            await SearchApi.SearchIncidentsAsync(http.Request.Query, await access.ScopeAsync(http), search, options.Value, clock, ct)).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{id}", Get).RequireAuthorization(Roles.Viewer);
        group.MapPatch("/{id}", Update).RequireAuthorization(Roles.Operator);
        group.MapGet("/{id}/custody", Custody).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{id}/custody/verify", Verify).RequireAuthorization(Roles.Viewer);
        return endpoints;
    }

    private static async Task<Results<Created<IncidentResponse>, ProblemHttpResult, ValidationProblem>> Create(
        CreateIncidentRequest? request, HttpContext http, CameraAccess access, IncidentRepository incidents, IOptions<MetadataOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors.Add("body", "a JSON object is required").ToDictionary());
        }

        var title = IncidentRules.Title(request.Title, errors);
        var description = IncidentRules.Description(request.Description, errors);
        var severity = IncidentRules.Severity(request.Severity, errors);
        var status = request.Status is null ? IncidentStatus.Open : IncidentRules.Status(request.Status, errors);
        var cameras = IncidentRules.Cameras(request.CameraIds, errors);
        var start = IncidentRules.Instant(request.StartTime, "start_time", errors);
        var end = IncidentRules.Instant(request.EndTime, "end_time", errors);
        IncidentRules.Range(start, end, errors);
        var tags = IncidentRules.Tags(request.Tags, errors);
        var assignedTo = IncidentRules.AssignedTo(request.AssignedTo, errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var scope = await access.ScopeAsync(http);
        if (cameras!.FirstOrDefault(c => !scope.Allows(c)) is var hidden && hidden != Guid.Empty)
        {
            return TypedResults.Problem(CameraNotFound(hidden));
        }

        var now = Core.Time.Instants.Normalize(clock.GetUtcNow());
        var incident = new Incident(Guid.NewGuid(), title!, description, severity!.Value, status!.Value, cameras!, start!.Value, end!.Value, tags!,
            assignedTo, http.User.ActorName(), now, now, status == IncidentStatus.Closed ? now : null);
        await incidents.CreateAsync(incident, ct);
        return TypedResults.Created($"/api/v1/metadata/incidents/{incident.Id}", IncidentResponse.From(incident, options.Value.EvidenceHoldAfterClose, now));
    }

    private static async Task<Results<Ok<IncidentResponse>, ProblemHttpResult, ValidationProblem>> Get(
        string id, HttpContext http, CameraAccess access, IncidentRepository incidents, CustodyLog custody, IOptions<MetadataOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } incidentId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var scope = await access.ScopeAsync(http);
        var incident = await incidents.GetAsync(incidentId, ct);
        if (incident is null || !IncidentVisibility.IsVisible(incident, scope))
        {
            return TypedResults.Problem(Tags.TagsApi.NotFound("Incident", incidentId));
        }

        incident = IncidentVisibility.Trimmed(incident, scope);

        await custody.AppendAsync(incidentId, CustodyActions.Viewed, http.User.ActorName(), [], ct);
        return TypedResults.Ok(IncidentResponse.From(incident, options.Value.EvidenceHoldAfterClose, clock.GetUtcNow()));
    }

    /// <summary>
    /// A partial update: the fields present replace the stored ones, <c>null</c> clears description, tags and
    /// assigned_to. CLOSED sets closed_at; leaving CLOSED clears it.
    /// </summary>
    private static async Task<Results<Ok<IncidentResponse>, ProblemHttpResult, ValidationProblem>> Update(
        string id, JsonElement body, HttpContext http, CameraAccess access, IncidentRepository incidents, IOptions<MetadataOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var incidentId = RouteValues.Id(id, "id", errors);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "a JSON object is required");
        }
        else
        {
            foreach (var property in body.EnumerateObject().Where(p => !PatchFields.Contains(p.Name)))
            {
                errors.Add(property.Name, $"is not a field of an incident that can be changed (one of {string.Join(", ", PatchFields.Order())})");
            }
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var scope = await access.ScopeAsync(http);
        if (!scope.IsEverything && await CheckChangeAsync(incidentId!.Value, body, scope, incidents, ct) is { } refusal)
        {
            return TypedResults.Problem(refusal);
        }

        var result = await incidents.UpdateAsync(incidentId!.Value, http.User.ActorName(), (current, now, e) => Apply(current, body, now, e), ct);
        if (result.NotFound)
        {
            return TypedResults.Problem(Tags.TagsApi.NotFound("Incident", incidentId.Value));
        }

        if (result.Errors is { IsEmpty: false } invalid)
        {
            return TypedResults.ValidationProblem(invalid.ToDictionary());
        }

        return TypedResults.Ok(IncidentResponse.From(result.After!, options.Value.EvidenceHoldAfterClose, clock.GetUtcNow()));
    }

    /// <summary>A caller limited to groups changes only an incident whose cameras they all see, and names only cameras they see.</summary>
    private static async Task<ProblemDetails?> CheckChangeAsync(Guid incidentId, JsonElement body, CameraScope scope, IncidentRepository incidents, CancellationToken ct)
    {
        var current = await incidents.GetAsync(incidentId, ct);
        if (current is null || !IncidentVisibility.IsVisible(current, scope))
        {
            return Tags.TagsApi.NotFound("Incident", incidentId);
        }

        if (!scope.AllowsAll(current.CameraIds))
        {
            return IncidentVisibility.Forbidden(incidentId);
        }

        if (body.TryGetProperty("camera_ids", out var named) && named.ValueKind == JsonValueKind.Array)
        {
            foreach (var camera in named.EnumerateArray())
            {
                if (camera.ValueKind == JsonValueKind.String && Guid.TryParse(camera.GetString(), out var cameraId) && !scope.Allows(cameraId))
                {
                    return CameraNotFound(cameraId);
                }
            }
        }

        return null;
    }

    private static ProblemDetails CameraNotFound(Guid cameraId) => new() { Status = 404, Title = "Not found", Detail = $"Camera {cameraId} was not found." };

    private static Incident? Apply(Incident current, JsonElement body, DateTimeOffset now, ValidationErrors errors)
    {
        var next = current;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "title":
                    next = next with { Title = IncidentRules.Title(Text(value, "title", errors), errors) ?? next.Title };
                    break;
                case "description":
                    next = next with { Description = IncidentRules.Description(Text(value, "description", errors), errors) };
                    break;
                case "severity":
                    next = next with { Severity = IncidentRules.Severity(Text(value, "severity", errors), errors) ?? next.Severity };
                    break;
                case "status":
                    if (IncidentRules.Status(Text(value, "status", errors), errors) is { } status && status != current.Status)
                    {
                        next = next with { Status = status, ClosedAt = status == IncidentStatus.Closed ? now : null };
                    }

                    break;
                case "camera_ids":
                    next = next with { CameraIds = IncidentRules.Cameras(Texts(value, "camera_ids", errors), errors) ?? next.CameraIds };
                    break;
                case "start_time":
                    next = next with { StartTime = IncidentRules.Instant(Text(value, "start_time", errors), "start_time", errors) ?? next.StartTime };
                    break;
                case "end_time":
                    next = next with { EndTime = IncidentRules.Instant(Text(value, "end_time", errors), "end_time", errors) ?? next.EndTime };
                    break;
                case "tags":
                    next = next with { Tags = IncidentRules.Tags(value.ValueKind == JsonValueKind.Null ? null : Texts(value, "tags", errors), errors) ?? next.Tags };
                    break;
                case "assigned_to":
                    next = next with { AssignedTo = IncidentRules.AssignedTo(Text(value, "assigned_to", errors), errors) };
                    break;
            }
        }

        IncidentRules.Range(next.StartTime, next.EndTime, errors);
        return errors.IsEmpty ? next : null;
    }

    private static string? Text(JsonElement value, string field, ValidationErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Null:
                return null;
            default:
                errors.Add(field, "must be a string or null");
                return null;
        }
    }

    private static string?[]? Texts(JsonElement value, string field, ValidationErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            errors.Add(field, "must be an array of strings");
            return null;
        }

        return value.EnumerateArray().Select(v => v.GetString()).ToArray();
    }

    private static async Task<Results<Ok<CustodyPage>, ProblemHttpResult, ValidationProblem>> Custody(
        string id, string? after, string? limit, HttpContext http, CameraAccess access, IncidentRepository incidents, CustodyLog custody, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var incidentId = RouteValues.Id(id, "id", errors);
        var afterSequence = QueryValues.Int(after, "after", 0, 0, int.MaxValue, errors);
        var count = QueryValues.Int(limit, "limit", 500, 1, 1000, errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await WholeIncidentProblemAsync(incidentId!.Value, http, access, incidents, ct) is { } problem)
        {
            return TypedResults.Problem(problem);
        }

        var entries = await custody.ListAsync(incidentId.Value, afterSequence, count + 1, ct);
        var page = entries.Take(count).Select(CustodyEntryResponse.From).ToArray();
        return TypedResults.Ok(new CustodyPage(incidentId.Value, page, entries.Count > count ? page[^1].Sequence : null));
    }

    private static async Task<Results<Ok<CustodyVerification>, ProblemHttpResult, ValidationProblem>> Verify(
        string id, HttpContext http, CameraAccess access, IncidentRepository incidents, CustodyLog custody, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } incidentId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await WholeIncidentProblemAsync(incidentId, http, access, incidents, ct) is { } problem)
        {
            return TypedResults.Problem(problem);
        }

        return TypedResults.Ok(await custody.VerifyAsync(incidentId, ct));
    }

    /// <summary>The chain of custody names the footage of every camera of the incident: 404 as for any incident the caller may not see, 403 when they see only some of its cameras.</summary>
    private static async Task<ProblemDetails?> WholeIncidentProblemAsync(Guid incidentId, HttpContext http, CameraAccess access, IncidentRepository incidents, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(http);
        var incident = await incidents.GetAsync(incidentId, ct);
        if (incident is null || !IncidentVisibility.IsVisible(incident, scope))
        {
            return Tags.TagsApi.NotFound("Incident", incidentId);
        }

        return scope.AllowsAll(incident.CameraIds) ? null : IncidentVisibility.Forbidden(incidentId);
    }
}

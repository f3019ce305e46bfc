using Footage.Core.Custody;
using Footage.Core.Incidents;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Audit;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Http;
using Footage.ServiceDefaults.Validation;
using Footage.Storage.Segments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Clips;

/// <summary>
/// <c>/api/v1/storage/clips</c>: save an incident's footage as a clip (operators), list an incident's clips, follow one and
/// download its signed evidence package (viewers, or an expiring signed link), delete one with a reason (admins). Every step
/// is in the incident's chain of custody and every download in the audit log.
/// </summary>
public static class ClipsApi
{
    public const int MaxReasonLength = 2000;

    public sealed record CreateClipRequest(Guid? IncidentId, int? MarginSeconds, string? Reason);

    public sealed record DeleteClipRequest(string? Reason);

    public sealed record ClipResponse(
        Guid Id, Guid IncidentId, IReadOnlyList<Guid> CameraIds, DateTimeOffset StartTime, DateTimeOffset EndTime, int MarginSeconds, string Reason,
        ClipStatus Status, long? FileSize, string? Checksum, string? ManifestSha256, string? SigningKeySha256, string? DownloadUrl,
        DateTimeOffset? DownloadUrlExpiresAt, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? Error,
        string? DeletedBy, DateTimeOffset? DeletedAt, string? DeleteReason);

    public static IEndpointRouteBuilder MapClipsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/storage/clips").WithTags("Clips");
        group.MapPost("/", Create).RequireAuthorization(Roles.Operator);
        group.MapGet("/", List).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{id}", Get).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{id}/download", Download).RequireAuthorization(AuthenticationSetup.ViewerOrSignedLink);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Roles.Admin);
        return endpoints;
    }

    private static async Task<Results<Accepted<ClipResponse>, ProblemHttpResult, ValidationProblem>> Create(
        CreateClipRequest? request, HttpContext http, IIncidentDirectory incidents, ClipRepository clips, SegmentRepository segments, ClipWorker worker,
        IFootageCustody custody, AccessLog access, CameraAccess cameraAccess, LinkSigner signer, IOptions<StorageOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var settings = options.Value.Clips;
        var errors = new ValidationErrors();
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors.Add("body", "a JSON object is required").ToDictionary());
        }

        if (request.IncidentId is null || request.IncidentId == Guid.Empty)
        {
            errors.Add("incident_id", "is required: the UUID of an incident");
        }

        var margin = request.MarginSeconds ?? 0;
        if (margin < 0 || margin > settings.MaxMarginSeconds)
        {
            errors.Add("margin_seconds", $"must be between 0 and {settings.MaxMarginSeconds} seconds");
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add("reason", "is required: why this footage is kept as evidence");
        }
        else if (reason.Length > MaxReasonLength)
        {
            errors.Add("reason", $"must be at most {MaxReasonLength} characters");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var scope = await cameraAccess.ScopeAsync(http);
        var incident = await incidents.GetAsync(request.IncidentId!.Value, ct);
        if (incident is null || !(scope.IsEverything || incident.CameraIds.Count == 0 || incident.CameraIds.Any(scope.Allows)))
        {
            return TypedResults.Problem(NotFound("Incident", request.IncidentId.Value));
        }

        // a clip holds the footage of every camera of the incident
        if (!scope.AllowsAll(incident.CameraIds))
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 403, Title = "Forbidden", Detail = $"Incident {incident.Id} covers cameras you may not see: only a caller who sees all of them may save its clip.",
            });
        }

        var start = incident.StartTime - TimeSpan.FromSeconds(margin);
        var end = incident.EndTime + TimeSpan.FromSeconds(margin);
        if (end - start > settings.MaxRange)
        {
            return TypedResults.ValidationProblem(errors.Add("margin_seconds",
                $"the incident's range ({(incident.EndTime - incident.StartTime).TotalHours:0.##} h) and the margin on both sides may cover at most {settings.MaxRange.TotalHours:0.##} hours").ToDictionary());
        }

        var recorded = new List<Guid>();
        foreach (var camera in incident.CameraIds)
        {
            if (await segments.CountAsync(camera, start, end, ct) > 0)
            {
                recorded.Add(camera);
            }
        }

        if (recorded.Count == 0)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 422,
                Title = "No footage to keep",
                Detail = $"None of the incident's cameras ({string.Join(", ", incident.CameraIds)}) recorded anything between {Instants.ToIso(start)} and {Instants.ToIso(end)}.",
            });
        }

        var clip = new Clip(Guid.NewGuid(), incident.Id, recorded, start, end, margin, reason!, ClipStatus.Pending, null, null, null, null, null, null, null,
            AccessLog.ActorOf(http), clock.GetUtcNow(), null, null, null, null, null);
        await clips.InsertAsync(clip, ct);
        await custody.RecordAsync(ClipWorker.Event(clip, FootageActions.ClipCreated, clip.CreatedBy, new Dictionary<string, string>(),
            new Dictionary<string, string> { ["reason"] = clip.Reason, ["margin_seconds"] = margin.ToString(System.Globalization.CultureInfo.InvariantCulture) }), ct);
        await access.RecordAsync(http, FootageAccess.Clip, recorded, start, end, ct);
        worker.Notify();
        return TypedResults.Accepted($"/api/v1/storage/clips/{clip.Id}", ToResponse(clip, http, signer, settings));
    }

    private static async Task<Results<Ok<ClipResponse[]>, ValidationProblem>> List(
        string? incident_id, string? limit, HttpContext http, CameraAccess cameraAccess, ClipRepository clips, LinkSigner signer, IOptions<StorageOptions> options,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var incident = RouteValues.Id(incident_id, "incident_id", errors);
        var count = QueryValues.Int(limit, "limit", 100, 1, 500, errors);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var scope = await cameraAccess.ScopeAsync(http);
        var list = await clips.ListAsync(incident!.Value, count, ct);
        return TypedResults.Ok(list.Where(c => scope.AllowsAll(c.CameraIds)).Select(c => ToResponse(c, http, signer, options.Value.Clips)).ToArray());
    }

    private static async Task<Results<Ok<ClipResponse>, ProblemHttpResult, ValidationProblem>> Get(
        string id, HttpContext http, CameraAccess cameraAccess, ClipRepository clips, LinkSigner signer, IOptions<StorageOptions> options, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } clipId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return await clips.GetAsync(clipId, ct) is { } clip && (await cameraAccess.ScopeAsync(http)).AllowsAll(clip.CameraIds)
            ? TypedResults.Ok(ToResponse(clip, http, signer, options.Value.Clips))
            : TypedResults.Problem(NotFound("Clip", clipId));
    }

    private static async Task<IResult> Download(
        string id, HttpContext http, CameraAccess cameraAccess, ClipRepository clips, IStorageBackendRegistry backends, IFootageCustody custody, AccessLog access,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } clipId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var clip = await clips.GetAsync(clipId, ct);
        if (clip is null || !(await cameraAccess.ScopeAsync(http)).AllowsAll(clip.CameraIds))
        {
            return TypedResults.Problem(NotFound("Clip", clipId));
        }

        if (clip.Status == ClipStatus.Deleted)
        {
            return TypedResults.Problem(statusCode: 410, title: "Clip deleted",
                detail: $"Clip {clipId} was deleted by {clip.DeletedBy} at {clip.DeletedAt:O}: {clip.DeleteReason}");
        }

        if (clip.Status != ClipStatus.Completed || clip.FilePath is null || clip.StorageBackend is null)
        {
            return TypedResults.Problem(statusCode: 409, title: "Clip not ready",
                detail: clip.Status == ClipStatus.Failed ? $"Clip {clipId} failed: {clip.Error}" : $"Clip {clipId} is {clip.Status.ToString().ToUpperInvariant()}; download it once COMPLETED.");
        }

        if (!backends.TryGet(clip.StorageBackend, out var backend))
        {
            return TypedResults.Problem(statusCode: 503, title: "Backend unavailable", detail: $"Backend '{clip.StorageBackend}' is not enabled on this host.");
        }

        // recorded once the file is really being sent: a refused range (416) downloads nothing
        return new StoredObjectResult(backend, StorageBuckets.Clips, clip.FilePath, "application/zip", ClipBuilder.FileName(clip.Id), "private, no-store", serving: async token =>
        {
            await custody.RecordAsync(ClipWorker.Event(clip, FootageActions.ClipDownloaded, AccessLog.ActorOf(http),
                new Dictionary<string, string> { ["clip"] = clip.Checksum ?? "" }), token);
            await access.RecordAsync(http, FootageAccess.ClipDownload, clip.CameraIds, clip.StartTime, clip.EndTime, token);
        });
    }

    /// <summary>
    /// Deletes a clip's objects and keeps its row as DELETED with who, when and why. The deletion is in the incident's chain of
    /// custody before anything is deleted; a clip still being made cannot be deleted yet (409), a deleted one is gone (410).
    /// </summary>
    private static async Task<Results<Ok<ClipResponse>, ProblemHttpResult, ValidationProblem>> Delete(
        string id, [FromBody] DeleteClipRequest? request, HttpContext http, ClipRepository clips, IFootageCustody custody, Retention.DeletionQueue queue,
        LinkSigner signer, IOptions<StorageOptions> options, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var clipId = RouteValues.Id(id, "id", errors);
        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add("reason", "is required: why this evidence is deleted (it goes into the incident's chain of custody)");
        }
        else if (reason.Length > MaxReasonLength)
        {
            errors.Add("reason", $"must be at most {MaxReasonLength} characters");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var clip = await clips.GetAsync(clipId!.Value, ct);
        if (clip is null)
        {
            return TypedResults.Problem(NotFound("Clip", clipId.Value));
        }

        if (clip.Status == ClipStatus.Deleted)
        {
            return TypedResults.Problem(statusCode: 410, title: "Clip already deleted",
                detail: $"Clip {clip.Id} was deleted by {clip.DeletedBy} at {clip.DeletedAt:O}: {clip.DeleteReason}");
        }

        if (clip.Status is ClipStatus.Pending or ClipStatus.Processing)
        {
            return TypedResults.Problem(statusCode: 409, title: "Clip being made", detail: $"Clip {clip.Id} is {clip.Status.ToString().ToUpperInvariant()}; delete it once it is COMPLETED or FAILED.");
        }

        var actor = http.User.ActorName();
        await custody.RecordAsync(ClipWorker.Event(clip, FootageActions.ClipDeleted, actor,
            new Dictionary<string, string> { ["clip"] = clip.Checksum ?? "" }, new Dictionary<string, string> { ["reason"] = reason! }), ct);
        var deleted = await clips.MarkDeletedAsync(clip.Id, actor, reason!, ct);
        if (deleted is null)
        {
            return TypedResults.Problem(statusCode: 409, title: "Clip changed", detail: $"Clip {clip.Id} was deleted or changed meanwhile; read it again.");
        }

        // the row says DELETED and its objects are queued; delete them now, and leave failures to the retried queue
        try
        {
            await queue.DrainAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the queue keeps the entries; the retention job retries them
        }

        return TypedResults.Ok(ToResponse(deleted, http, signer, options.Value.Clips));
    }

    /// <summary>A completed clip carries a signed download link issued to the caller (named in the link, under its signature).</summary>
    private static ClipResponse ToResponse(Clip c, HttpContext http, LinkSigner signer, ClipOptions options)
    {
        string? url = null;
        DateTimeOffset? urlExpires = null;
        if (c.Status == ClipStatus.Completed)
        {
            (url, var at) = signer.Sign($"/api/v1/storage/clips/{c.Id:D}/download?{AccessLog.IssuedToParameter}={Uri.EscapeDataString(AccessLog.ActorOf(http))}", options.LinkLifetime);
            urlExpires = at;
        }

        return new ClipResponse(c.Id, c.IncidentId, c.CameraIds, c.StartTime, c.EndTime, c.MarginSeconds, c.Reason, c.Status, c.FileSize, c.Checksum,
            c.ManifestSha256, c.SigningKeySha256, url, urlExpires, c.CreatedBy, c.CreatedAt, c.CompletedAt, c.Error, c.DeletedBy, c.DeletedAt, c.DeleteReason);
    }

    private static ProblemDetails NotFound(string what, Guid id) => new() { Status = 404, Title = "Not found", Detail = $"{what} '{id}' does not exist." };
}

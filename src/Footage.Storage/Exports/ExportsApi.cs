using Footage.Core.Custody;
using Footage.Core.Storage;
using Footage.Core.Time;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Audit;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Errors;
using Footage.ServiceDefaults.Http;
using Footage.ServiceDefaults.Validation;
using Footage.ServiceDefaults.Work;
using Footage.Storage.Segments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Exports;

/// <summary>
/// <c>/api/v1/storage/exports</c>: queue an export, follow it, download its signed evidence package through an expiring signed
/// link. Creating and downloading one are in the chain of custody of the incidents it touches and in the audit log.
/// </summary>
public static class ExportsApi
{
    public static readonly IReadOnlyList<string> Formats = ["mp4"];

    public sealed record CreateExportRequest(Guid[]? CameraIds, DateTimeOffset? StartTime, DateTimeOffset? EndTime, string? Format, string? Reason);

    public sealed record ExportResponse(
        Guid Id, IReadOnlyList<Guid> CameraIds, DateTimeOffset StartTime, DateTimeOffset EndTime, string Format, string? Reason,
        ExportStatus Status, long? FileSize, string? Checksum, string? DownloadUrl, DateTimeOffset? DownloadUrlExpiresAt,
        DateTimeOffset? ExpiresAt, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? Error);

    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/storage/exports").WithTags("Exports");
        group.MapPost("/", Create).RequireAuthorization(Roles.Operator);
        group.MapGet("/", async (string? limit, HttpContext http, CameraAccess cameras, ExportRepository exports, LinkSigner signer, IOptions<StorageOptions> options, TimeProvider clock, CancellationToken ct) =>
        {
            var errors = new ValidationErrors();
            var count = QueryValues.Int(limit, "limit", 50, 1, 500, errors);
            if (!errors.IsEmpty)
            {
                return (IResult)TypedResults.ValidationProblem(errors.ToDictionary());
            }

            // an export holds the footage of all its cameras: a caller sees it only if they may see every one
            var scope = await cameras.ScopeAsync(http);
            var recent = await exports.ListRecentAsync(count, ct);
            return TypedResults.Ok(recent.Where(e => scope.AllowsAll(e.CameraIds)).Select(e => ToResponse(e, http, signer, options.Value, clock)).ToArray());
        }).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{id}", Get).RequireAuthorization(Roles.Viewer);
        group.MapGet("/{id}/download", Download).RequireAuthorization(AuthenticationSetup.ViewerOrSignedLink);
        return endpoints;
    }

    private static async Task<Results<Accepted<ExportResponse>, ProblemHttpResult, ValidationProblem>> Create(
        CreateExportRequest? request, HttpContext http, ExportRepository exports, SegmentRepository segments, ExportWorker worker, IFootageCustody custody,
        AccessLog access, LinkSigner signer, CameraAccess cameraAccess, IOptions<StorageOptions> options, IOptions<WorkOptions> work, TimeProvider clock, CancellationToken ct)
    {
        var settings = options.Value.Exports;
        var errors = new ValidationErrors();
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors.Add("body", "a JSON object is required").ToDictionary());
        }

        var cameras = request.CameraIds ?? [];
        if (cameras.Length == 0 || cameras.Length > settings.MaxCameras)
        {
            errors.Add("camera_ids", $"is required: 1 to {settings.MaxCameras} camera UUIDs");
        }
        else if (cameras.Distinct().Count() != cameras.Length || cameras.Contains(Guid.Empty))
        {
            errors.Add("camera_ids", "must not repeat a camera or contain the empty UUID");
        }

        var start = request.StartTime is { } s ? Instants.Normalize(s) : (DateTimeOffset?)null;
        var end = request.EndTime is { } e ? Instants.Normalize(e) : (DateTimeOffset?)null;
        if (start is null)
        {
            errors.Add("start_time", "is required: an ISO 8601 instant");
        }

        if (end is null)
        {
            errors.Add("end_time", "is required: an ISO 8601 instant");
        }
        else if (start is not null && end <= start)
        {
            errors.Add("end_time", "must be after start_time");
        }
        else if (start is not null && end - start > settings.MaxRange)
        {
            errors.Add("end_time", $"an export may cover at most {settings.MaxRange.TotalHours} hours");
        }

        var format = (request.Format ?? "mp4").Trim().ToLowerInvariant();
        if (!Formats.Contains(format))
        {
            errors.Add("format", $"must be one of {string.Join(", ", Formats)}");
        }

        if (request.Reason is { Length: > 2000 })
        {
            errors.Add("reason", "must be at most 2000 characters");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var scope = await cameraAccess.ScopeAsync(http);
        if (cameras.FirstOrDefault(c => !scope.Allows(c)) is var hidden && hidden != Guid.Empty)
        {
            return TypedResults.Problem(new ProblemDetails { Status = 404, Title = "Not found", Detail = $"Camera {hidden} was not found." });
        }

        var empty = new List<Guid>();
        foreach (var camera in cameras)
        {
            if (await segments.CountAsync(camera, start!.Value, end!.Value, ct) == 0)
            {
                empty.Add(camera);
            }
        }

        if (empty.Count > 0)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 422,
                Title = "No footage to export",
                Detail = $"No recorded footage between {Instants.ToIso(start!.Value)} and {Instants.ToIso(end!.Value)} for camera(s) {string.Join(", ", empty)}.",
            });
        }

        // a queue, not a flood: each caller has a few exports waiting or being made at most
        var queued = await exports.CountQueuedAsync(http.User.ActorName(), ct);
        if (queued >= work.Value.MaxQueuedExportsPerCaller)
        {
            throw ProblemException.TooManyRequests(
                $"This caller has {queued} exports waiting or being made, the most one caller may; create this one when one has finished.",
                work.Value.RetryAfter, WorkLimiter.CallerFullReason);
        }

        var export = new Export(Guid.NewGuid(), cameras, start!.Value, end!.Value, format, request.Reason, ExportStatus.Pending, null, null, null, null, null, null,
            http.User.ActorName(), clock.GetUtcNow(), null, null);
        await exports.InsertAsync(export, ct);
        await custody.RecordAsync(new FootageEvent(FootageActions.ExportCreated, export.CreatedBy, cameras, new TimeRange(export.StartTime, export.EndTime), $"export {export.Id:D}", new Dictionary<string, string>()), ct);
        await access.RecordAsync(http, FootageAccess.Export, cameras, export.StartTime, export.EndTime, ct);
        worker.Notify();
        return TypedResults.Accepted($"/api/v1/storage/exports/{export.Id}", ToResponse(export, http, signer, options.Value, clock));
    }

    private static async Task<Results<Ok<ExportResponse>, ProblemHttpResult, ValidationProblem>> Get(
        string id, HttpContext http, CameraAccess cameras, ExportRepository exports, LinkSigner signer, IOptions<StorageOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } exportId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return await exports.GetAsync(exportId, ct) is { } export && (await cameras.ScopeAsync(http)).AllowsAll(export.CameraIds)
            ? TypedResults.Ok(ToResponse(export, http, signer, options.Value, clock))
            : TypedResults.Problem(NotFound(exportId));
    }

    private static async Task<IResult> Download(
        string id, HttpContext http, CameraAccess cameras, ExportRepository exports, IStorageBackendRegistry backends, IFootageCustody custody, AccessLog access,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RouteValues.Id(id, "id", errors) is not { } exportId)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var export = await exports.GetAsync(exportId, ct);
        if (export is null || !(await cameras.ScopeAsync(http)).AllowsAll(export.CameraIds))
        {
            return TypedResults.Problem(NotFound(exportId));
        }

        if (export.Status == ExportStatus.Expired || (export.ExpiresAt is { } expires && expires < clock.GetUtcNow()))
        {
            return TypedResults.Problem(statusCode: 410, title: "Export expired", detail: $"Export {exportId} expired at {export.ExpiresAt:O} and its file was deleted.");
        }

        if (export.Status != ExportStatus.Completed || export.FilePath is null || export.StorageBackend is null)
        {
            return TypedResults.Problem(statusCode: 409, title: "Export not ready",
                detail: export.Status == ExportStatus.Failed ? $"Export {exportId} failed: {export.Error}" : $"Export {exportId} is {export.Status.ToString().ToUpperInvariant()}; download it once COMPLETED.");
        }

        if (!backends.TryGet(export.StorageBackend, out var backend))
        {
            return TypedResults.Problem(statusCode: 503, title: "Backend unavailable", detail: $"Backend '{export.StorageBackend}' is not enabled on this host.");
        }

        var contentType = export.FilePath.EndsWith(".zip", StringComparison.Ordinal) ? "application/zip" : "video/mp4";
        var name = $"export-{export.Id:D}{Path.GetExtension(export.FilePath)}";
        // recorded once the file is really being sent: a refused range (416) downloads nothing
        return new StoredObjectResult(backend, StorageBuckets.Exports, export.FilePath, contentType, name, "private, no-store", serving: async token =>
        {
            await custody.RecordAsync(new FootageEvent(FootageActions.ExportDownloaded, AccessLog.ActorOf(http), export.CameraIds,
                new TimeRange(export.StartTime, export.EndTime), $"export {export.Id:D}", new Dictionary<string, string> { ["export"] = export.Checksum ?? "" }), token);
            await access.RecordAsync(http, FootageAccess.ExportDownload, export.CameraIds, export.StartTime, export.EndTime, token);
        });
    }

    /// <summary>A completed export carries a signed download link issued to the caller (named in the link, under its signature).</summary>
    private static ExportResponse ToResponse(Export e, HttpContext http, LinkSigner signer, StorageOptions options, TimeProvider clock)
    {
        string? url = null;
        DateTimeOffset? urlExpires = null;
        if (e.Status == ExportStatus.Completed && e.ExpiresAt is { } expires)
        {
            var lifetime = expires - clock.GetUtcNow();
            if (lifetime > options.Exports.LinkLifetime)
            {
                lifetime = options.Exports.LinkLifetime;
            }

            if (lifetime > TimeSpan.Zero)
            {
                (url, var at) = signer.Sign($"/api/v1/storage/exports/{e.Id:D}/download?{AccessLog.IssuedToParameter}={Uri.EscapeDataString(AccessLog.ActorOf(http))}", lifetime);
                urlExpires = at;
            }
        }

        return new ExportResponse(e.Id, e.CameraIds, e.StartTime, e.EndTime, e.Format, e.Reason, e.Status, e.FileSize, e.Checksum, url, urlExpires,
            e.ExpiresAt, e.CreatedBy, e.CreatedAt, e.CompletedAt, e.Error);
    }

    private static ProblemDetails NotFound(Guid id) => new() { Status = 404, Title = "Not found", Detail = $"Export '{id}' does not exist." };
}

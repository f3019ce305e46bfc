using Footage.Core.Segments;
using Footage.Core.Storage;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Footage.Storage.Retention;
using Footage.Storage.Segments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Footage.Storage.Quarantine;

/// <summary>
/// Quarantined recordings: a recorder files one (<c>POST /api/v1/storage/segments/quarantine</c>, operator), admins list
/// them and delete one with a reason once looked at (<c>/api/v1/storage/quarantine</c>).
/// </summary>
public static class QuarantineApi
{
    public const int MaxReasonLength = 500;

    public static IEndpointRouteBuilder MapQuarantineApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/storage/segments/quarantine", File).RequireAuthorization(Roles.Operator).WithTags("Segments");
        var group = endpoints.MapGroup("/api/v1/storage/quarantine").WithTags("Quarantine");
        group.MapGet("/", async Task<Results<Ok<QuarantinedSegment[]>, ValidationProblem>> (string? limit, QuarantineRepository quarantine, CancellationToken ct) =>
        {
            var errors = new ValidationErrors();
            var count = QueryValues.Int(limit, "limit", 100, 1, 1000, errors);
            return errors.IsEmpty ? TypedResults.Ok((await quarantine.ListAsync(count, ct)).ToArray()) : TypedResults.ValidationProblem(errors.ToDictionary());
        }).RequireAuthorization(Roles.Admin);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Roles.Admin);
        return endpoints;
    }

    private static async Task<Results<Created<QuarantinedSegment>, ProblemHttpResult, ValidationProblem>> File(
        QuarantineRequest? request, HttpContext http, CameraAccess access, QuarantineRepository quarantine, IStorageBackendRegistry backends, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var asSegment = request is null
            ? null
            : new RegisterSegmentRequest(request.CameraId, request.StartTime, request.EndTime, request.DurationSeconds, request.SizeBytes, request.StorageBackend,
                request.StoragePath, request.Checksum, null, request.Keyframes);
        var segment = SegmentValidator.Validate(asSegment, backends, clock.GetUtcNow(), errors, quarantine: true);
        if (string.IsNullOrWhiteSpace(request?.Reason) || request.Reason.Length > MaxReasonLength)
        {
            errors.Add("reason", $"is required: why the recording is quarantined, at most {MaxReasonLength} characters");
        }

        if (segment is null || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!(await access.ScopeAsync(http)).Allows(segment.CameraId))
        {
            return TypedResults.Problem(new ProblemDetails { Status = 404, Title = "Not found", Detail = $"Camera {segment.CameraId} was not found." });
        }

        var stored = await backends.Get(segment.StorageBackend).StatAsync(StorageBuckets.Clips, segment.StoragePath, ct);
        if (stored is null || stored.Size != segment.SizeBytes)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 422,
                Title = "Object not stored",
                Detail = $"No object '{segment.StoragePath}' of {segment.SizeBytes} bytes in {StorageBuckets.Clips} on backend '{segment.StorageBackend}': upload it before filing it.",
            });
        }

        var filed = await quarantine.AddAsync(segment, request!.ConflictingSegmentId, request.Reason!, ct);
        return TypedResults.Created($"/api/v1/storage/quarantine/{filed.Id}", filed);
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Delete(
        string id, string? reason, QuarantineRepository quarantine, DeletionQueue queue, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var quarantinedId = RouteValues.Id(id, "id", errors);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            errors.Add("reason", $"is required: why the quarantined recording may go, at most {MaxReasonLength} characters");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await quarantine.DeleteAsync(quarantinedId!.Value, reason!, ct) is null)
        {
            return TypedResults.Problem(new ProblemDetails { Status = 404, Title = "Not found", Detail = $"No quarantined recording '{quarantinedId}'." });
        }

        try
        {
            await queue.DrainAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the queue keeps the entry and retries
        }

        return TypedResults.NoContent();
    }
}

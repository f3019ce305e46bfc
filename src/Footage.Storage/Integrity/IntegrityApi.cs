using Footage.Data;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Footage.Storage.Integrity;

/// <summary>
/// <c>/api/v1/storage/integrity</c> (admins): what the integrity scrub found and where it is; <c>POST .../scrub</c> runs a
/// reconciliation and a whole pass now and answers when done (409 while another process scrubs).
/// </summary>
public static class IntegrityApi
{
    public sealed record IntegrityResponse(ScrubState State, IReadOnlyDictionary<string, long> OpenFindings, IReadOnlyList<IntegrityFinding> Findings);

    public sealed record ScrubRunResponse(ScrubReport Reconciliation, ScrubReport Pass, IReadOnlyDictionary<string, long> OpenFindings);

    public static IEndpointRouteBuilder MapIntegrityApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/storage/integrity").WithTags("Integrity").RequireAuthorization(Roles.Admin);
        group.MapGet("/", async Task<Results<Ok<IntegrityResponse>, ValidationProblem>> (string? kind, string? limit, IntegrityScrub scrub, IntegrityFindings findings,
            CancellationToken ct) =>
        {
            var errors = new ValidationErrors();
            var count = QueryValues.Int(limit, "limit", 100, 1, 1000, errors);
            if (kind is not null && !FindingKinds.All.Contains(kind))
            {
                errors.Add("kind", $"must be one of {string.Join(", ", FindingKinds.All)}");
            }

            if (!errors.IsEmpty)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }

            return TypedResults.Ok(new IntegrityResponse(await scrub.StateAsync(ct), await findings.CountAsync(ct), await findings.OpenAsync(kind, count, ct)));
        });
        group.MapPost("/scrub", async Task<Results<Ok<ScrubRunResponse>, ProblemHttpResult>> (IntegrityScrub scrub, IntegrityFindings findings, JobLease lease,
            CancellationToken ct) =>
        {
            var holder = $"api:{Environment.ProcessId}:{Guid.NewGuid():N}";
            if (!await lease.TryAcquireAsync(IntegrityScrubService.LeaseName, holder, TimeSpan.FromHours(1), ct))
            {
                return TypedResults.Problem(new ProblemDetails
                {
                    Status = 409, Title = "Scrub already running", Detail = "The integrity scrub is running in another process; try again when it has finished its step.",
                });
            }

            try
            {
                var reconciliation = await scrub.ReconcileAsync(ct);
                var pass = await scrub.RunPassAsync(ct);
                return TypedResults.Ok(new ScrubRunResponse(reconciliation, pass, await findings.CountAsync(ct)));
            }
            finally
            {
                await lease.ReleaseAsync(IntegrityScrubService.LeaseName, holder, CancellationToken.None);
            }
        });
        return endpoints;
    }
}

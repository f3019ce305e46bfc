using Footage.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Footage.Storage.Retention;

/// <summary><c>POST /api/v1/storage/retention/run</c>: run retention now (admins).</summary>
public static class RetentionApi
{
    public static IEndpointRouteBuilder MapRetentionApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/storage/retention/run", async Task<Results<Ok<RetentionReport>, ProblemHttpResult>> (RetentionJob job, CancellationToken ct) =>
        {
            var report = await job.RunAsync(ct);
            return report.Ran
                ? TypedResults.Ok(report)
                : TypedResults.Problem(new ProblemDetails { Status = 409, Title = "Retention already running", Detail = "Another retention run is in progress; try again when it has finished." });
        }).RequireAuthorization(Roles.Admin).WithTags("Retention");
        return endpoints;
    }
}

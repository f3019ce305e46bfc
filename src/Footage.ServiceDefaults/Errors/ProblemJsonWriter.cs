using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Errors;

/// <summary>
/// Writes problem details as <c>application/problem+json</c> whatever the request's Accept header says. The default
/// writer gives up when a client does not ask for JSON (a browser sends <c>Accept: text/html</c>) and the client then
/// got a bare text status line instead of the problem.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Instance ??= http.Request.Path;
        problem.Extensions.TryAdd("trace_id", http.TraceIdentifier);
        if (problem.Title is null && problem.Status is { } status)
        {
            problem.Title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        }

        return new ValueTask(http.Response.WriteAsJsonAsync(problem, json.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
    }
}

using System.Text.Json;
using Footage.Core.Cameras;
using Footage.Core.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Footage.ServiceDefaults.Errors;

/// <summary>
/// The one place where exceptions become RFC 7807 problem details. Whatever a client sent (broken JSON,
/// wrong types, a body too large) is a 4xx naming the problem; only our own faults are 500s, and those
/// never show internals.
/// </summary>
public sealed class ProblemExceptionHandler(
    IProblemDetailsService problemDetails, IEnumerable<IExceptionProblems> modules, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            httpContext.Response.StatusCode = 499; // the client went away; nobody reads a body
            return true;
        }

        var (status, title, detail) = Describe(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (exception is ProblemException { RetryAfter: { } retryAfter } limited)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (limited.LimitReason is not null && httpContext.Features.Get<Audit.RefusalFeature>() is { } refusal)
            {
                refusal.LimitReason = limited.LimitReason;
            }
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private (int Status, string Title, string Detail) Describe(Exception exception)
    {
        foreach (var module in modules)
        {
            if (module.Describe(exception) is { } problem)
            {
                return (problem.Status, problem.Title, problem.Detail);
            }
        }

        return DescribeOwn(exception);
    }

    private static (int Status, string Title, string Detail) DescribeOwn(Exception exception) => exception switch
    {
        ProblemException p => (p.Status, p.Title, p.Message),
        // the layers below the web throw their own exceptions; these are their problems
        ObjectStoreUnavailableException or CameraDirectoryUnavailableException => (503, "Service unavailable", exception.Message),
        RetentionConflictException => (409, "Conflict", exception.Message),
        BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed request body", JsonMessage(json)),
        BadHttpRequestException bad => (bad.StatusCode, StatusTitle(bad.StatusCode), bad.Message),
        JsonException json => (400, "Malformed request body", JsonMessage(json)),
        _ => (500, "Internal error", "An unexpected error occurred; it has been logged."),
    };

    private static string JsonMessage(JsonException json)
    {
        var path = json.Path is { Length: > 0 } p ? p : "$";
        var message = json.Message.Split(" Path:")[0];
        // The serializer's own wording names our internal types; say what the client needs instead.
        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            return $"The value at {path} has the wrong type or format (ids are UUIDs, times ISO 8601 instants with a zone, sizes numbers).";
        }

        return $"{message} (at {path})";
    }

    private static string StatusTitle(int status) => status switch
    {
        413 => "Request body too large",
        415 => "Unsupported media type",
        _ => "Bad request",
    };
}

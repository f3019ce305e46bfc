namespace Footage.ServiceDefaults.Errors;

/// <summary>
/// A failure the caller should see as problem details with this status (404, 409, 422, 503, ...).
/// Thrown by endpoints and the web services of this project; <see cref="ProblemExceptionHandler"/> turns it into the response.
/// The layers below the web (backends, catalogs, directories) throw their own exceptions, which that handler maps.
/// </summary>
public sealed class ProblemException(int status, string title, string detail, Exception? cause = null) : Exception(detail, cause)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    /// <summary>For a 429 or 503: when to try again (the <c>Retry-After</c> header).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For a 429: the limit that refused, as the audit log of refusals names it.</summary>
    public string? LimitReason { get; init; }

    public static ProblemException NotFound(string what, object id) =>
        new(404, "Not found", $"{what} '{id}' does not exist.");

    public static ProblemException Conflict(string detail) => new(409, "Conflict", detail);

    /// <param name="cause">Logged with the 503, never shown to the caller (it may name internal hosts).</param>
    public static ProblemException Unavailable(string detail, Exception? cause = null) => new(503, "Service unavailable", detail, cause);

    public static ProblemException TooManyRequests(string detail, TimeSpan retryAfter, string limitReason) =>
        new(429, "Too many requests", detail) { RetryAfter = retryAfter, LimitReason = limitReason };
}

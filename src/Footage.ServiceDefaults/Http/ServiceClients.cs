using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Footage.ServiceDefaults.Http;

/// <summary>How this product calls a service over HTTP (its own Storage service in split mode, a VMS service).</summary>
public static class ServiceClients
{
    /// <summary>
    /// Points the client at <paramref name="baseUrl"/>, sends <paramref name="apiKey"/> (when set) as <c>X-Api-Key</c>, and adds
    /// retries with exponential back-off on 5xx, 408, 429 and network errors, a timeout per attempt and for the whole call
    /// (<paramref name="timeout"/>, retries included), and a circuit breaker.
    /// </summary>
    /// <param name="attemptTimeout">One attempt; a third of <paramref name="timeout"/> when it is not shorter than that.</param>
    public static IHttpClientBuilder ConfigureServiceClient(this IHttpClientBuilder client, string baseUrl, string? apiKey, TimeSpan timeout, TimeSpan attemptTimeout)
    {
        var baseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
        var attempt = attemptTimeout < timeout ? attemptTimeout : timeout / 3;
        client.ConfigureHttpClient(http =>
        {
            http.BaseAddress = baseAddress;
            // the resilience pipeline owns the timeouts; this only stops a call the pipeline somehow lets run on
            http.Timeout = timeout + TimeSpan.FromSeconds(5);
            if (!string.IsNullOrWhiteSpace(apiKey))
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            }
        });
        client.AddStandardResilienceHandler(resilience =>
        {
            resilience.TotalRequestTimeout.Timeout = timeout;
            resilience.AttemptTimeout.Timeout = attempt;
            resilience.CircuitBreaker.SamplingDuration = attempt * 2;
        });
        return client;
    }
}
